/**
 * What the lab suites check on every tunnel, in one place: an echo service per
 * host, a 1 MiB byte-exact echo through the tunnel with the server host's UDP
 * bytes counted meanwhile (did the data pass the relay?), and the mapping rows.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Proc } from '../helpers.js';
import type { Lab, LabHost } from './lab.js';
import { readMappingFile, type MappingRow } from '../../src/mapping/log.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ECHO_SERVER = join(HERE, 'echo-server.js');
export const ECHO_CLIENT = join(HERE, 'echo-client.js');
export const ECHO_PORT = 7000;
export const BYTES = 1024 * 1024;

/** One echo server per host namespace, started on first use. */
export class EchoServers {
  private readonly started = new Map<string, Proc>();
  constructor(private readonly lab: () => Lab) {}

  async on(h: LabHost): Promise<void> {
    if (this.started.has(h.ns)) return;
    const p = this.lab().spawnNode(h.ns, `echo@${h.role}`, ECHO_SERVER, [String(ECHO_PORT)]);
    await p.waitFor(/echo listening/, 'out', 10_000);
    this.started.set(h.ns, p);
  }
}

/** The mapping row of the `echo` service written by `role`, waiting (bounded) for the batched write. */
export async function mappingRow(dir: string, role: 'expose' | 'connect', deadline: number): Promise<MappingRow | undefined> {
  for (;;) {
    const row = readMappingFile(join(dir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.find((r) => r.role === role && r.service === 'echo');
    if (row || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `bytes` (1 MiB) through the tunnel from inside `ns` and back, byte-exact; returns the echo time and the server host's UDP bytes meanwhile. */
export async function echoThrough(L: Lab, ns: string, port: number, ctx: () => string, bytes = BYTES): Promise<{ ms: number; viaServer: number }> {
  await L.resetUdpBytes(L.server.ns);
  const limit = 60_000 + Math.ceil(bytes / BYTES) * 2000;
  const res = await L.exec(ns, [process.execPath, ECHO_CLIENT, String(port), String(bytes), String(limit)], { timeoutMs: limit + 10_000 });
  let echo: { received: number; sha256Sent: string; sha256Received: string; ms: number; error?: string } | undefined;
  try {
    echo = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
  } catch {
    /* reported below */
  }
  if (!echo || echo.error || res.code !== 0) throw new Error(`echo failed (exit ${res.code}): ${echo?.error ?? res.stdout + res.stderr}\n${ctx()}`);
  assert.equal(echo.received, bytes, `bytes echoed\n${ctx()}`);
  assert.equal(echo.sha256Received, echo.sha256Sent, `sha256 of the echo\n${ctx()}`);
  const udp = await L.udpBytes(L.server.ns);
  return { ms: echo.ms, viaServer: udp.in + udp.out };
}

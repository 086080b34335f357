/**
 * Signalling over TLS (`wss://`): the server with a certificate, a real
 * `p2prc peers` process that trusts it through NODE_EXTRA_CA_CERTS, and one
 * that does not (refused, with the TLS reason). Certificates are made here
 * with openssl, for 127.0.0.1 only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignalServer } from '../signal-server/index.js';
import { SignalClient } from '../src/peer/signal-client.js';
import ndc from 'node-datachannel';
import { Identity } from '../src/identity/keys.js';
import { resolveDataDir } from '../src/util/paths.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'p2prc');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('signalling over TLS (wss://)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2prc-wss-'));
  let server: SignalServer;
  let url = '';
  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    server = new SignalServer({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) } });
    const addr = await server.listen();
    url = `wss://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a peer that trusts the certificate registers over wss://', async () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), P2PRC_HOME: join(dir, 'peer-a') };
    const r = await run(['--json', 'peers', '--server', url], env);
    assert.equal(r.code, 0, r.stderr);
    const ev = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event?: string }).find((e) => e.event === 'peers');
    assert.ok(ev, r.stdout);
  });

  it('a peer that does not trust it is refused with the TLS reason', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, P2PRC_HOME: join(dir, 'peer-b') };
    delete env.NODE_EXTRA_CA_CERTS;
    const r = await run(['peers', '--server', url], env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /self[- ]signed|certificate/i);
  });
});

describe('a reverse proxy over TLS: its own peer reaches its listener with the certificate pinned', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2prc-wss-rp-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    // The proxy's peer ran node-datachannel in this process: its threads end only with cleanup().
    ndc.cleanup();
  });
  it('starts with a certificate for another name than the loopback address it dials; a wrong pin is refused', async () => {
    // A certificate for the proxy's public name, not for 127.0.0.1: only the pin lets the proxy's peer in.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=proxy.example', '-addext', 'subjectAltName=DNS:proxy.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const tls = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
    const server = new SignalServer({ host: '127.0.0.1', port: 0, tls, dataDir: join(dir, 'server'), secret: 's', reverseProxy: {} });
    try {
      const addr = await server.listen();
      assert.ok(server.reverseProxy?.peerId, 'the proxy peer registered');
      const client = new SignalClient({ url: `wss://127.0.0.1:${addr.port}`, name: 'mallory', identity: Identity.loadOrCreate(resolveDataDir(join(dir, 'peer'))), secret: 's', pinnedCertSha256: 'AA:BB' });
      await assert.rejects(client.connect(), /not the pinned one/);
    } finally {
      await server.close();
    }
  });
});

/**
 * The relay's peer policy on every relayed datagram (#8 item 3), against a real
 * `p2prc server`: a permission on the server's own address must not let Send
 * indications reach the server's own service ports or a loopback-only service
 * outside the relay range, and the unspecified address 0.0.0.0 (which Linux
 * delivers to loopback) is never a peer, also with --host 0.0.0.0.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { TurnClient, type TurnError } from '../src/stun-client/turn-client.js';
import { Method, buildRequest, encodeMessage, restPassword, restUsername } from '../src/stun/index.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'p2prc');
const SECRET = 'policy-secret';
const RELAY_PORTS = '52000-52999';
/** How long a datagram that should not arrive is given to arrive anyway (loopback delivers in well under 1 ms). */
const QUIET_MS = 500;
const WAIT_MS = 15_000;

const dir = mkdtempSync(join(tmpdir(), 'p2prc-policy-'));
const children: ChildProcess[] = [];
const sockets: Socket[] = [];
const clients: TurnClient[] = [];
after(() => {
  for (const c of clients) c.close();
  for (const s of sockets) s.close();
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startServer(host: string, extra: string[] = []): Promise<{ stunPort: number; port: number; log: string[] }> {
  const child = spawn(process.execPath, [CLI, '--json', 'server', '--host', host, '--port', '0', '--stun-port', '0', '--relay-ports', RELAY_PORTS, '--secret', SECRET, '--data-dir', join(dir, `srv-${children.length}`), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => log.push(l));
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
  const [line] = (await once(lines, 'line')) as [string];
  clearTimeout(timer);
  const ev = JSON.parse(line) as { port: number; stunPort: number };
  return { stunPort: ev.stunPort, port: ev.port, log };
}

async function turnClient(stunPort: number): Promise<TurnClient> {
  const username = restUsername(Math.floor(Date.now() / 1000) + 3600, 'policy');
  const t = new TurnClient({ server: { address: '127.0.0.1', port: stunPort }, username, password: restPassword(SECRET, username), transaction: { rtoMs: 100, attempts: 4 } });
  await t.bind();
  clients.push(t);
  return t;
}

/** A UDP listener on loopback that counts what reaches it. */
async function listener(): Promise<{ port: number; got: () => number }> {
  const s = createSocket('udp4');
  sockets.push(s);
  let n = 0;
  s.on('message', () => n++);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, got: () => n };
}

/** A UDP listener on a loopback port inside the relay range that no allocation holds. */
async function listenerInRelayRange(): Promise<{ port: number; got: () => number }> {
  for (let port = 52990; port > 52900; port--) {
    const s = createSocket('udp4');
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.bind(port, '127.0.0.1', () => r(true));
    });
    if (!ok) {
      s.close();
      continue;
    }
    sockets.push(s);
    let n = 0;
    s.on('message', () => n++);
    return { port, got: () => n };
  }
  throw new Error('no free port in 52900-52990');
}

const quiet = (): Promise<void> => new Promise((r) => setTimeout(r, QUIET_MS));

describe('relay policy on every relayed datagram', () => {
  it('Send indications do not reach the server\'s own ports or loopback services outside the relay range', async () => {
    const s = await startServer('127.0.0.1');
    const c = await turnClient(s.stunPort);
    const mine = await c.allocate();
    const other = await turnClient(s.stunPort);
    const otherRelay = await other.allocate();
    // A permission on another allocation of this server is legitimate (two relayed peers talk this way).
    await c.createPermission({ address: otherRelay.address, port: otherRelay.port });
    // A port of the relay range that is no allocation (another service could listen there) is refused.
    await assert.rejects(c.createPermission({ address: '127.0.0.1', port: otherRelay.port === 52999 ? 52998 : otherRelay.port + 1 }), (e: TurnError) => e.code === 403);
    const service = await listener();
    const inRange = await listenerInRelayRange();
    let relayed = 0;
    c.on('data', () => relayed++);
    // A Binding request sent through the relay to the server's own STUN port would come back as Data.
    c.send({ address: '127.0.0.1', port: s.stunPort }, encodeMessage(buildRequest(Method.Binding, [])));
    c.send({ address: '127.0.0.1', port: s.port }, Buffer.from('GET / HTTP/1.0\r\n\r\n'));
    c.send({ address: '127.0.0.1', port: service.port }, Buffer.from('HELLO-VIA-RELAY'));
    c.send({ address: '127.0.0.1', port: inRange.port }, Buffer.from('HELLO-VIA-RELAY'));
    let toOther = 0;
    other.on('data', () => toOther++);
    await other.createPermission({ address: mine.address, port: mine.port });
    c.send({ address: otherRelay.address, port: otherRelay.port }, Buffer.from('allocation to allocation'));
    await quiet();
    assert.equal(service.got(), 0, 'a loopback service outside the relay range got a relayed datagram');
    assert.equal(inRange.got(), 0, 'a loopback service inside the relay range (not an allocation) got a relayed datagram');
    assert.equal(toOther, 1, 'relaying between two allocations of this server still works');
    assert.equal(relayed, 0, 'the server\'s own STUN port answered through the relay');
    assert.ok(s.log.some((l) => l.includes('Send to peer refused')), s.log.join('\n'));
  });

  it('never relays to 0.0.0.0, also when the server listens on 0.0.0.0', async () => {
    const s = await startServer('0.0.0.0', ['--public-ip', '127.0.0.1']);
    const c = await turnClient(s.stunPort);
    await c.allocate();
    await assert.rejects(c.createPermission({ address: '0.0.0.0', port: 52001 }), (e: TurnError) => e.code === 403);
    await assert.rejects(c.createPermission({ address: '255.255.255.255', port: 52001 }), (e: TurnError) => e.code === 403);
    const service = await listener();
    c.send({ address: '0.0.0.0', port: service.port }, Buffer.from('HELLO-VIA-RELAY'));
    await quiet();
    assert.equal(service.got(), 0);
  });
});

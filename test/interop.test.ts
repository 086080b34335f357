/**
 * Interop with STUN/TURN software nobody here wrote (Debian packages, installed
 * by .ci/run): coturn's own clients against our relay, Debian's classic `stun`
 * client, and our peers relaying through a real coturn with the same secret.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { waitForStunAnswer } from './harness/stun-ready.js';
import { createServer } from 'node:net';
import { Proc, asRoute, cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, tmpDir, type SignalProc } from './helpers.js';

const SECRET = 'interop-secret';
const MiB = 1024 * 1024;

function need(bin: string): void {
  try {
    execFileSync('which', [bin], { stdio: 'ignore' });
  } catch {
    assert.fail(`${bin} is not installed: .ci/run installs Debian's coturn and stun-client`);
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  s.close();
  return p;
}

describe('interop: third-party clients against our relay', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--secret', SECRET, '--max-allocations-per-user', '50', '--turn-tls-port', '0']);
    const ev = await s.proc.waitForEvent({ event: 'listening' });
    streamPorts = { tcp: Number(ev.tcpPort), tls: Number(ev.tlsPort) };
  });
  after(cleanup);
  let streamPorts = { tcp: 0, tls: 0 };

  // -y: client to client through two allocations on our server; -W: REST credentials from the shared
  // secret; -t: TCP to the server (-S: TLS on it); the relayed leg stays UDP. 200 x 2 clients x 2 ways.
  for (const [transport, flags] of [['UDP', []], ['TCP', ['-t']], ['TLS', ['-t', '-S']]] as const) {
    it(`turnutils_uclient (coturn) over ${transport} relays all its messages through us, none lost`, async () => {
      need('turnutils_uclient');
      const port = transport === 'UDP' ? s.stunPort! : transport === 'TCP' ? streamPorts.tcp : streamPorts.tls;
      const uc = new Proc(`turnutils_uclient-${transport}`, [...flags, '-y', '-n', '200', '-m', '2', '-l', '400', '-u', 'uclient', '-W', SECRET, '-p', String(port), '-e', '127.0.0.1', '127.0.0.1'], {}, { command: 'turnutils_uclient' });
      const code = await Promise.race([uc.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 60_000))]);
      if (code === 'timeout') await uc.stop('SIGKILL');
      const all = [...uc.out, ...uc.err].join('\n');
      const sent = /tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/m.exec(all);
      assert.ok(sent, `no totals in turnutils_uclient output:\n${all.slice(-2000)}`);
      assert.equal(Number(sent[1]), 800, 'messages sent');
      assert.equal(Number(sent[2]), 800, 'messages received');
      assert.match(all, /Total lost packets 0 \(0\.000000%\)/);
      await s.proc.waitFor(new RegExp(`allocation created user=uclient client=127\\.0\\.0\\.1:\\d+/${transport.toLowerCase()}`), 'err');
    });
  }

  it('turnutils_stunclient gets the right mapped address', async () => {
    need('turnutils_stunclient');
    const out = execFileSync('turnutils_stunclient', ['-p', String(s.stunPort), '127.0.0.1'], { encoding: 'utf8', timeout: 20_000 });
    assert.match(out, /UDP reflexive addr: 127\.0\.0\.1:\d+/);
  });

  it('Debian\'s classic `stun` client (RFC 3489) gets the right mapped address', async () => {
    need('stun');
    const srcPort = await freeUdpPort();
    // -p fixes the client's source port, so the expected mapped address is known exactly.
    let out = '';
    try {
      out = execFileSync('stun', ['-v', '-p', String(srcPort), `127.0.0.1:${s.stunPort}`], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? '') + String((err as { stderr?: string }).stderr ?? ''); // it exits non-zero by design (NAT type code)
    }
    assert.match(out, new RegExp(`MappedAddress = 127\\.0\\.0\\.1:${srcPort}\\b`), out.slice(-1500));
  });
});

describe('interop: our peers through a real coturn (use-auth-secret)', () => {
  let coturnPort: number;
  let coturnTlsPort: number;
  let coturn: Proc;
  before(async () => {
    need('turnserver');
    coturnPort = await freeUdpPort();
    coturnTlsPort = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const dir = tmpDir();
    // coturn's TLS listener: a certificate for 127.0.0.1 that the peers (their bridges) trust through NODE_EXTRA_CA_CERTS.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    process.env.NODE_EXTRA_CA_CERTS = join(dir, 'cert.pem');
    coturn = new Proc(
      'coturn',
      [
        '-n', '--listening-ip=127.0.0.1', `--listening-port=${coturnPort}`, '--relay-ip=127.0.0.1', '--min-port=51000', '--max-port=51999',
        '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=interop', '--no-cli', '--no-dtls',
        `--tls-listening-port=${coturnTlsPort}`, `--cert=${join(dir, 'cert.pem')}`, `--pkey=${join(dir, 'key.pem')}`,
        '--allow-loopback-peers', '--log-file=stdout', '--simple-log', `--pidfile=${join(dir, 'pid')}`, `--db=${join(dir, 'turndb')}`,
      ],
      {},
      { command: 'turnserver' },
    );
    await coturn.waitFor(/Total (General|UDP|auth) servers|IPv4\. UDP listener opened on|relay ports initialization|pid file created/, 'any');
    await waitForStunAnswer('127.0.0.1', coturnPort, 20_000);
  });
  after(async () => {
    delete process.env.NODE_EXTRA_CA_CERTS;
    await cleanup();
  });

  it('peers with --force-relay connect and tunnel data through coturn', async () => {
    const s = await startSignal(['--no-relay', '--secret', SECRET, '--ice-server', `turn:127.0.0.1:${coturnPort}?transport=udp`]);
    const echo = await echoService();
    // Own loopback addresses per peer, so coturn's per-IP permissions admit only the other relay (see relay.test.ts).
    const ex = await startExpose('alice', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.2']);
    await ex.proc.waitFor(new RegExp(`relay ready server="turn:127\\.0\\.0\\.1:${coturnPort}\\?transport=udp" relayed=127\\.0\\.0\\.1:51\\d{3}`), 'err');
    const c = await startConnect('alice/echo', s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.3']);
    const inCoturnRange = (p: unknown): boolean => typeof p === 'number' && p >= 51000 && p <= 51999;
    await c.proc.waitForEvent({ event: 'route', target: 'alice/echo', kind: 'relay', local: { type: /^(relay|host|prflx)$/, address: /^127\.0\.0\.\d$/ }, remote: { type: 'relay', address: '127.0.0.1', port: inCoturnRange } });
    const data = randomData(8 * MiB);
    assert.equal(sha256(await exchange(c.port, data, { timeoutMs: 120_000 })), sha256(data));
  });

  it('peers relay through coturn\'s TCP and TLS listeners (turn:?transport=tcp and turns: from --ice-server) via their bridges', async () => {
    const s = await startSignal(['--no-relay', '--secret', SECRET, '--ice-server', `turn:127.0.0.1:${coturnPort}?transport=udp`, '--ice-server', `turn:127.0.0.1:${coturnPort}?transport=tcp`, '--ice-server', `turns:127.0.0.1:${coturnTlsPort}?transport=tcp`]);
    for (const [transport, a, b] of [['tcp', '127.0.0.4', '127.0.0.5'], ['tls', '127.0.0.6', '127.0.0.7']] as const) {
      const echo = await echoService();
      const flags = ['--force-relay', '--relay-transport', transport, '--secret', SECRET];
      const ex = await startExpose(`coturn-${transport}`, [`echo=${echo}`], s.url, undefined, [...flags, '--bind', a]);
      await ex.proc.waitForEvent({ event: 'relay-path', transport, via: `${transport} 127.0.0.1:${transport === 'tcp' ? coturnPort : coturnTlsPort}` });
      const c = await startConnect(`coturn-${transport}/echo`, s.url, undefined, [...flags, '--bind', b]);
      const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: `coturn-${transport}/echo`, kind: 'relay' }));
      assert.ok(route.remote.port >= 51000 && route.remote.port <= 51999, `relayed by coturn: ${JSON.stringify(route)}`);
      const data = randomData(8 * MiB);
      assert.equal(sha256(await exchange(c.port, data, { timeoutMs: 120_000 })), sha256(data));
      await c.proc.stop('SIGTERM');
      await ex.proc.stop('SIGTERM');
    }
  });

  it('a relay that refuses our credentials is reported clearly at the peer', async () => {
    // The signal server signs with another secret than coturn's: coturn answers 401.
    const s = await startSignal(['--no-relay', '--secret', 'other-secret', '--ice-server', `turn:127.0.0.1:${coturnPort}`]);
    const ex = await startExpose('carol', ['x=1'], s.url, undefined, ['--secret', 'other-secret']);
    await ex.proc.waitFor(/relay unusable: relayed fallback will not work through it .*reason="401/, 'err');
  });
});

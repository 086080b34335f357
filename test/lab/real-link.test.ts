/**
 * Real links (issue #9): two peers behind cone NATs whose WAN links, and the
 * server's link, go through the link emulator at 50 ms RTT with 1 % loss. A
 * 32 MiB echo (32 MiB each way at once) through the tunnel completes without a
 * stall and sha256-verified, direct and relayed through our relay. The emulator's
 * counters prove the bytes crossed the emulated links (ICE found no shortcut):
 * a direct tunnel's bytes cross both NAT links and not the server's; a relayed
 * tunnel's bytes cross the server's link too. Needs root (skipped otherwise).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, shapePath } from './lab.js';
import { PEER_START_MS, SERVER_URL, firstRoute, labSkipReason, routeText, startLabServer } from './suite.js';
import { ECHO_CLIENT, ECHO_PORT, EchoServers } from './tunnel-check.js';

const RTT_MS = 50;
const LOSS_PCT = 1;
const BYTES = 32 * 1024 * 1024;
/** A stall shows as a timeout: at the slowest rate seen here (relayed, 1 % loss) 32 MiB each way takes under a minute. */
const ECHO_TIMEOUT_MS = 240_000;

interface Echo {
  sent: number;
  received: number;
  sha256Sent: string;
  sha256Received: string;
  ms: number;
  error?: string;
}

describe(`NAT lab: ${RTT_MS} ms RTT, ${LOSS_PCT} % loss, 32 MiB each way`, { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  const echoes = new EchoServers(() => lab!);

  before(async () => {
    lab = await Lab.create({ publicHosts: 0, natHosts: [1, 1], firewallHosts: [], emulate: ['srv', 'r1', 'r2'], log: (l) => console.log(l) });
    await shapePath({ a: lab.link('r1'), b: lab.link('r2'), relay: lab.link('srv') }, { rttMs: RTT_MS, lossPct: LOSS_PCT });
    server = await startLabServer(lab, ['--host', SERVER_IPS[0], '--data-dir', tmpDir('p2prc-lab-srv-')]);
  }, { timeout: 90_000 });

  after(async () => {
    await lab?.destroy();
    await cleanup();
  });

  for (const [idx, relayed] of [false, true].entries()) {
    it(relayed ? 'relayed through our relay (--force-relay)' : 'direct', { timeout: ECHO_TIMEOUT_MS + 60_000 }, async () => {
      const L = lab!;
      const ha = L.host('h2a');
      const hb = L.host('h1a');
      await echoes.on(ha);
      const force = relayed ? ['--force-relay'] : [];
      const name = `rl${idx}`;
      const listenPort = 9200 + idx;
      const procs: Proc[] = [];
      try {
        const ex = L.spawnNode(ha.ns, `expose@${ha.role}`, CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', name, '--server', SERVER_URL, '--data-dir', tmpDir('p2prc-lab-a-'), ...force]);
        procs.push(ex);
        await ex.waitForEvent({ event: 'registered' }, PEER_START_MS);
        const co = L.spawnNode(hb.ns, `connect@${hb.role}`, CLI, ['--json', 'connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `c${name}`, '--server', SERVER_URL, '--data-dir', tmpDir('p2prc-lab-b-'), ...force]);
        procs.push(co);
        const ctx = (): string => `${co.dump()}\n${ex.dump()}\n${server.dump()}`;
        await co.waitForEvent({ event: 'listening', address: '127.0.0.1' }, PEER_START_MS);
        const route = await firstRoute(co, ctx);
        assert.equal(route.kind, relayed ? 'relay' : 'direct', `route ${routeText(route)}\n${ctx()}`);

        for (const l of ['r1', 'r2', 'srv']) await L.link(l).resetStats();
        const res = await L.exec(hb.ns, [process.execPath, ECHO_CLIENT, String(listenPort), String(BYTES), String(ECHO_TIMEOUT_MS)], { timeoutMs: ECHO_TIMEOUT_MS + 10_000 });
        const echo = JSON.parse(res.stdout.trim().split('\n').pop() || '{}') as Echo;
        assert.ok(!echo.error && res.code === 0, `echo failed (exit ${res.code}): ${echo.error ?? res.stdout + res.stderr}\n${ctx()}`);
        assert.equal(echo.received, BYTES, 'bytes echoed');
        assert.equal(echo.sha256Received, echo.sha256Sent, 'sha256 of the echo');

        const [r1, r2, srv] = await Promise.all([L.link('r1').stats(), L.link('r2').stats(), L.link('srv').stats()]);
        const mibs = (BYTES / 1048576 / (echo.ms / 1000)).toFixed(2);
        console.log(`# ${relayed ? 'relayed' : 'direct'} at ${RTT_MS} ms RTT, ${LOSS_PCT} % loss: 32 MiB each way in ${(echo.ms / 1000).toFixed(1)} s (${mibs} MiB/s each way), ` +
          `route ${routeText(route)}; frames lost by the emulator: r1 ${r1.up.lost}+${r1.down.lost}, r2 ${r2.up.lost}+${r2.down.lost}; ` +
          `bytes through r1 up ${r1.up.txBytes}, r2 down ${r2.down.rxBytes}, server link in ${srv.up.rxBytes + srv.down.rxBytes}`);
        // Both NAT links carried the bytes (each way), with loss actually applied.
        for (const [what, n] of [['r1 up', r1.up.txBytes], ['r1 down', r1.down.txBytes], ['r2 up', r2.up.txBytes], ['r2 down', r2.down.txBytes]] as const) {
          assert.ok(n >= BYTES, `${what} carried only ${n} bytes: the tunnel went around the emulated link`);
        }
        assert.ok(r1.up.lost + r2.up.lost > 0, 'no frame was lost: the loss setting did not apply');
        const viaServer = srv.up.rxBytes + srv.down.rxBytes;
        if (relayed) assert.ok(viaServer >= 2 * BYTES, `relayed, but the server's link carried only ${viaServer} bytes`);
        else assert.ok(viaServer < BYTES / 8, `direct, but the server's link carried ${viaServer} bytes`);
      } finally {
        await Promise.all(procs.map((p) => p.stop('SIGTERM', 3000)));
      }
    });
  }
});

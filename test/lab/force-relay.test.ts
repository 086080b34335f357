/**
 * `--force-relay` on either side hides both peers' addresses (#8 item 8). In
 * the NAT lab, a peer with --force-relay meets one without it; the forcing side
 * says so in its signed offer or answer and then neither side offers or uses a
 * non-relay candidate. Checked per case: the tunnel works (1 MiB byte-exact),
 * both route events are relay, and no line either peer printed (logs, route
 * events) and no row of its mapping log holds the other peer's addresses (its
 * host address, or its NAT's public one). Needs root (skipped when not root).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, asRoute, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type LabHost } from './lab.js';
import { PEER_START_MS, SERVER_URL, firstRoute, labSkipReason, routeText, startLabServer } from './suite.js';
import { ECHO_PORT, EchoServers, echoThrough, mappingRow } from './tunnel-check.js';

interface Case {
  name: string;
  expose: string;
  connect: string;
  /** Which side runs with --force-relay. */
  forced: 'expose' | 'connect';
}

const CASES: Case[] = [
  { name: 'connect --force-relay (NATed) against a plain exposer (public)', expose: 'p1', connect: 'h1a', forced: 'connect' },
  { name: 'expose --force-relay (NATed) against a plain connector (public)', expose: 'h1a', connect: 'p1', forced: 'expose' },
];

/** Every address of `h` another peer could learn: its own and its NAT's public one. */
const addresses = (h: LabHost): string[] => [h.ip, ...(h.router?.kind === 'nat' ? [h.router.wanIp] : [])];
const mentions = (text: string, ip: string): boolean => new RegExp(`(^|[^\\d.])${ip.replace(/\./g, '\\.')}(?!\\d)`).test(text);

describe('NAT lab: --force-relay on one side hides both addresses', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  const echoes = new EchoServers(() => lab!);

  before(async () => {
    lab = await Lab.create({ publicHosts: 1, natHosts: [1], firewallHosts: [], log: (l) => console.log(l) });
    server = await startLabServer(lab, ['--host', SERVER_IPS[0], '--data-dir', tmpDir('p2prc-lab-srv-')]);
  }, { timeout: 90_000 });

  after(async () => {
    await lab?.destroy();
    await cleanup();
  });

  for (const [idx, c] of CASES.entries()) {
    it(c.name, { timeout: 90_000 }, async () => {
      const L = lab!;
      const procs: Proc[] = [];
      try {
        if (server.exitCode !== undefined) throw new Error(`the signal server exited (${server.exitCode})\n${server.dump()}`);
        await L.flushConntrack();
        const ha = L.host(c.expose);
        const hb = L.host(c.connect);
        await echoes.on(ha);
        const name = `fr${idx}`;
        const dirA = tmpDir('p2prc-lab-a-');
        const dirB = tmpDir('p2prc-lab-b-');
        const listenPort = 9100 + idx;
        const exForce = c.forced === 'expose' ? ['--force-relay'] : [];
        const coForce = c.forced === 'connect' ? ['--force-relay'] : [];
        const ex = L.spawnNode(ha.ns, `expose:${name}@${ha.role}`, CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', name, '--server', SERVER_URL, '--data-dir', dirA, ...exForce]);
        procs.push(ex);
        await ex.waitForEvent({ event: 'registered' }, PEER_START_MS);
        const co = L.spawnNode(hb.ns, `connect:${name}/echo@${hb.role}`, CLI, ['--json', 'connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `c${name}`, '--server', SERVER_URL, '--data-dir', dirB, ...coForce]);
        procs.push(co);
        const ctx = (): string => `${co.dump()}\n${ex.dump()}`;
        await co.waitForEvent({ event: 'listening', address: '127.0.0.1' }, PEER_START_MS);
        const coRoute = await firstRoute(co, ctx);
        const exRoute = asRoute(await ex.waitForEvent('route', 10_000));
        await echoThrough(L, hb.ns, listenPort, ctx);
        const deadline = Date.now() + 5000;
        await Promise.all([mappingRow(dirA, 'expose', deadline), mappingRow(dirB, 'connect', deadline)]);

        console.log(`${c.name}: connect ${routeText(coRoute)}; expose ${routeText(exRoute)}`);
        const problems: string[] = [];
        for (const [who, r] of [['connect', coRoute], ['expose', exRoute]] as const) {
          if (r.kind !== 'relay') problems.push(`${who}'s route is ${r.kind} (${r.local.type} ${r.local.address} <-> ${r.remote.type} ${r.remote.address}), expected relay`);
        }
        const seen = (p: Proc, dir: string): string => {
          const file = join(dir, 'reverse_proxy_mapping.json');
          return `${p.dump()}\n${existsSync(file) ? readFileSync(file, 'utf8') : ''}`;
        };
        const exSaw = seen(ex, dirA);
        const coSaw = seen(co, dirB);
        for (const ip of addresses(hb)) if (mentions(exSaw, ip)) problems.push(`the exposer saw the connector's address ${ip}`);
        for (const ip of addresses(ha)) if (mentions(coSaw, ip)) problems.push(`the connector saw the exposer's address ${ip}`);
        if (problems.length) assert.fail(`${c.name}:\n  - ${problems.join('\n  - ')}\n${ctx()}`);
      } finally {
        await Promise.all(procs.map((p) => p.stop('SIGTERM', 3000)));
      }
    });
  }
});

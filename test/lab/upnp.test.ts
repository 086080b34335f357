/**
 * UPnP IGD and NAT-PMP (issue #4) in the NAT lab, against a real router daemon:
 * Debian's miniupnpd (nftables backend) runs in NAT router r1 (test/lab/lab.ts
 * startMiniupnpd: the router gets a lab-only public address 100.128.0.10, since
 * miniupnpd refuses reserved external addresses; nothing of it leaves the lab).
 *
 *   1. Our clients (src/portmap/, run inside h1a by portmap-client.js): SSDP
 *      discovery, GetExternalIPAddress, AddPortMapping / DeletePortMapping; NAT-PMP
 *      external address, map, unmap; PortMapper (UPnP first, NAT-PMP when the
 *      router has only that, unmap on stop). Each mapping is checked in
 *      miniupnpd's lease file and nftables table, and on the wire: a UDP datagram
 *      from the internet (p1) to the external address reaches h1a only while the
 *      mapping exists.
 *   2. `p2prc nat` in h1a reports UPnP IGD and NAT-PMP available (external
 *      address) with miniupnpd, and not available once it is stopped.
 *   3. The product end to end, both routers symmetric (a pair that can only relay,
 *      which the control case shows), then r2 eim: `expose --upnp --ice-port P` in
 *      h1a, connect in h2a; the route must go direct through the mapping: connect's
 *      settled route line says `upnp` to 100.128.0.10:P, so does the exposer's, both
 *      mapping rows say `upnp`, the server host carries no tunnel bytes, 1 MiB
 *      echoes byte-exact; after SIGTERM the mapping is gone from miniupnpd. And a
 *      mapping that is granted but forwards nothing (as behind a second NAT) still
 *      connects, through the relay.
 *
 * Needs root, iptables, conntrack, miniupnpd and nftables (`nft`, to create the
 * table miniupnpd's nftables backend writes to). Skipped when not root.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, asRoute, cleanup, tmpDir, type Proc, type RouteEvent } from '../helpers.js';
import { Lab, type LabHost, type Miniupnpd, type MiniupnpdOptions } from './lab.js';
import { PEER_START_MS, SERVER_URL, SETTLE_MS, endpoint, firstRoute, labSkipReason, lastRoute, mib, routeText, startLabServer } from './suite.js';
import type { MappingRow } from '../../src/mapping/log.js';
import { BYTES, ECHO_PORT, EchoServers, echoThrough, mappingRow } from './tunnel-check.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PORTMAP_CLIENT = join(HERE, 'portmap-client.js');

interface PairResult {
  routeLines: string[];
  exposeRouteLines: string[];
  /** connect's settled (last) route, and the exposer's. */
  route: RouteEvent;
  exposeRoute?: RouteEvent;
  firstViaServer: number;
  steadyViaServer: number;
  echoMs: number;
  exposeRow?: MappingRow;
  connectRow?: MappingRow;
  ex: Proc;
  co: Proc;
  dirA: string;
}

describe('NAT lab: UPnP IGD and NAT-PMP with miniupnpd', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  let mu: Miniupnpd | undefined;
  let muOpts: MiniupnpdOptions = {};
  const summary: string[] = [];
  const t0 = performance.now();
  const log = (l: string): void => {
    console.log(l);
  };

  before(async () => {
    lab = await Lab.create({ publicHosts: 1, natHosts: [1, 1], firewallHosts: [], natMode: 'symmetric', log });
    mu = await lab.startMiniupnpd('r1');
    log(lab.describe());
    log(`miniupnpd in ${lab.router('r1').ns}: external ${mu.externalIp}, HTTP port ${mu.httpPort}, dir ${mu.dir}`);
    server = await startLabServer(lab, ['--host', '0.0.0.0', '--data-dir', tmpDir('p2prc-lab-srv-')]);
    log(`setup ${Math.round(performance.now() - t0)} ms`);
  }, { timeout: 90_000 });

  after(async () => {
    if (summary.length) log(`\nUPnP lab summary (${Math.round(performance.now() - t0)} ms):\n  ${summary.join('\n  ')}\n`);
    await mu?.stop().catch(() => undefined);
    await lab?.destroy();
    await cleanup();
  });

  /** miniupnpd running with `opts` (restarted when it is stopped or runs with others). */
  async function ensureMiniupnpd(opts: MiniupnpdOptions = {}): Promise<Miniupnpd> {
    if (mu && mu.proc.exitCode === undefined && JSON.stringify(opts) === JSON.stringify(muOpts)) return mu;
    await mu?.stop();
    mu = await lab!.startMiniupnpd('r1', opts);
    muOpts = opts;
    return mu;
  }

  async function stopMiniupnpd(): Promise<void> {
    await mu?.stop();
  }

  /** portmap-client.js COMMAND inside `h`; its last JSON line. */
  async function client(h: LabHost, ...args: string[]): Promise<Record<string, unknown>> {
    const r = await lab!.exec(h.ns, [process.execPath, PORTMAP_CLIENT, ...args], { timeoutMs: 30_000 });
    let out: Record<string, unknown> | undefined;
    try {
      out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    } catch {
      /* below */
    }
    if (!out || out.error || r.code !== 0) {
      throw new Error(`portmap-client ${args.join(' ')} in ${h.role} (exit ${r.code}): ${String(out?.error ?? '')}\n${r.stdout}${r.stderr}\n${mu?.proc.dump() ?? ''}`);
    }
    return out;
  }

  /** A UDP datagram from the internet (p1) to `ip:port`: does the echo come back? */
  async function reachable(ip: string, port: number): Promise<{ ok: boolean; from?: string }> {
    return (await client(lab!.host('p1'), 'udp-probe', ip, String(port), '1500')) as { ok: boolean; from?: string };
  }

  const leaseFor = (port: number) => mu!.leases().find((l) => l.protocol === 'UDP' && l.externalPort === port);

  async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A UDP echo in h1a on `port`, for the wire checks. */
  async function udpEcho(port: number): Promise<Proc> {
    const p = lab!.spawnNode(lab!.host('h1a').ns, `udp-echo:${port}`, PORTMAP_CLIENT, ['udp-echo', String(port), '60']);
    await p.waitForEvent('listening', 10_000);
    return p;
  }

  it('UPnP IGD: discovery, external address, AddPortMapping and DeletePortMapping (lease file, nftables, forwarding)', { timeout: 60_000 }, async () => {
    const L = lab!;
    const m = await ensureMiniupnpd();
    const h = L.host('h1a');
    const PORT = 41000;
    const echo = await udpEcho(PORT);
    try {
      const info = await client(h, 'upnp-info');
      assert.match(String(info.location), new RegExp(`^http://${L.router('r1').lanIp.replace(/\./g, '\\.')}:${m.httpPort}/`), `device description on the router's LAN address: ${JSON.stringify(info)}`);
      assert.match(String(info.serviceType), /^urn:schemas-upnp-org:service:WANIPConnection:[12]$/);
      assert.equal(info.external, m.externalIp, 'GetExternalIPAddress is the router\'s public address');
      assert.equal(leaseFor(PORT), undefined);
      await L.flushConntrack();
      assert.equal((await reachable(m.externalIp, PORT)).ok, false, 'nothing is forwarded before the mapping');

      const mapped = await client(h, 'upnp-map', String(PORT), '600');
      assert.equal(mapped.internalClient, h.ip);
      const lease = await waitFor('the lease', () => leaseFor(PORT));
      assert.deepEqual({ ...lease, timestamp: 0 }, { protocol: 'UDP', externalPort: PORT, internalAddress: h.ip, internalPort: PORT, timestamp: 0, description: `p2prc-lab ${PORT}` });
      const rules = await m.nftRules();
      assert.match(rules, new RegExp(`dport ${PORT} dnat ip to ${h.ip.replace(/\./g, '\\.')}:${PORT}`), `miniupnpd's DNAT rule:\n${rules}`);
      const probe = await reachable(m.externalIp, PORT);
      assert.deepEqual(probe.ok && probe.from, `${m.externalIp}:${PORT}`, 'the internet reaches h1a through the mapping, and the reply comes from the mapped address');
      assert.ok(echo.eventsMatching({ event: 'got', from: (f: unknown) => String(f).startsWith(`${L.host('p1').ip}:`) }).length > 0, `h1a saw the internet host's own address:\n${echo.out.join('\n')}`);

      await client(h, 'upnp-unmap', String(PORT));
      await waitFor('the lease to go', () => leaseFor(PORT) === undefined);
      assert.doesNotMatch(await m.nftRules(), new RegExp(`dport ${PORT} `), 'DNAT and forward rules removed');
      await L.flushConntrack();
      assert.equal((await reachable(m.externalIp, PORT)).ok, false, 'nothing is forwarded after DeletePortMapping');
      summary.push(`UPnP: ${info.serviceType} at ${info.location}, external ${info.external}; UDP ${PORT} mapped (lease + nft DNAT + forwarded), deleted`);
    } finally {
      await echo.stop();
    }
  });

  it('NAT-PMP: external address, map and unmap (lease file, nftables, forwarding)', { timeout: 60_000 }, async () => {
    const L = lab!;
    const m = await ensureMiniupnpd();
    const h = L.host('h1a');
    const PORT = 42000;
    const echo = await udpEcho(PORT);
    try {
      const ext = await client(h, 'pmp-external');
      assert.equal(ext.gateway, L.router('r1').lanIp);
      assert.equal(ext.external, m.externalIp);
      const mapped = await client(h, 'pmp-map', String(PORT), '600');
      assert.equal(mapped.internalPort, PORT);
      assert.equal(mapped.externalPort, PORT, 'miniupnpd grants the port asked for when it is free');
      assert.ok(Number(mapped.lifetime) > 0 && Number(mapped.lifetime) <= 600, `lifetime ${String(mapped.lifetime)}`);
      const lease = await waitFor('the lease', () => leaseFor(PORT));
      assert.equal(lease.internalAddress, h.ip);
      assert.equal(lease.internalPort, PORT);
      assert.match(await m.nftRules(), new RegExp(`dport ${PORT} dnat ip to ${h.ip.replace(/\./g, '\\.')}:${PORT}`));
      await L.flushConntrack();
      const probe = await reachable(m.externalIp, PORT);
      assert.deepEqual(probe.ok && probe.from, `${m.externalIp}:${PORT}`, 'the internet reaches h1a through the NAT-PMP mapping');

      const un = await client(h, 'pmp-unmap', String(PORT));
      assert.equal(un.lifetime, 0);
      await waitFor('the lease to go', () => leaseFor(PORT) === undefined);
      assert.doesNotMatch(await m.nftRules(), new RegExp(`dport ${PORT} `));
      await L.flushConntrack();
      assert.equal((await reachable(m.externalIp, PORT)).ok, false, 'nothing is forwarded after the unmap');
      summary.push(`NAT-PMP: gateway ${ext.gateway}, external ${ext.external}; UDP ${PORT} mapped (lifetime ${String(mapped.lifetime)} s, forwarded), unmapped`);
    } finally {
      await echo.stop();
    }
  });

  it('PCP: ANNOUNCE, MAP, renewal with the same nonce, forwarding from the internet, deletion (lease file, nftables)', { timeout: 60_000 }, async () => {
    const L = lab!;
    const m = await ensureMiniupnpd();
    const h = L.host('h1a');
    const PORT = 42100;
    const echo = await udpEcho(PORT);
    try {
      const ann = await client(h, 'pcp-announce');
      assert.equal(ann.gateway, L.router('r1').lanIp);
      const mapped = await client(h, 'pcp-map', String(PORT), '600');
      assert.equal(mapped.internalPort, PORT);
      assert.equal(mapped.externalPort, PORT, 'miniupnpd grants the suggested port when it is free');
      assert.equal(mapped.externalAddress, m.externalIp);
      assert.ok(Number(mapped.lifetime) > 0 && Number(mapped.lifetime) <= 600, `lifetime ${String(mapped.lifetime)}`);
      const lease = await waitFor('the lease', () => leaseFor(PORT));
      assert.deepEqual([lease.internalAddress, lease.internalPort], [h.ip, PORT]);
      assert.match(await m.nftRules(), new RegExp(`dport ${PORT} dnat ip to ${h.ip.replace(/\./g, '\\.')}:${PORT}`));
      // Renewal: the same nonce keeps the same mapping (RFC 6887 §11.2.1), with a fresh lifetime.
      const renewed = await client(h, 'pcp-map', String(PORT), '900', String(mapped.nonce));
      assert.deepEqual([renewed.externalAddress, renewed.externalPort, renewed.nonce], [m.externalIp, PORT, mapped.nonce]);
      assert.ok(Number(renewed.lifetime) > Number(mapped.lifetime) - 5, `renewed lifetime ${String(renewed.lifetime)}`);
      assert.equal(m.leases().filter((x) => x.externalPort === PORT).length, 1, 'one lease, not a second mapping');
      await L.flushConntrack();
      const probe = await reachable(m.externalIp, PORT);
      assert.deepEqual(probe.ok && probe.from, `${m.externalIp}:${PORT}`, 'the internet reaches h1a through the PCP mapping');
      const un = await client(h, 'pcp-unmap', String(PORT), String(mapped.nonce));
      assert.equal(un.lifetime, 0);
      await waitFor('the lease to go', () => leaseFor(PORT) === undefined);
      assert.doesNotMatch(await m.nftRules(), new RegExp(`dport ${PORT} `));
      await L.flushConntrack();
      assert.equal((await reachable(m.externalIp, PORT)).ok, false, 'nothing is forwarded after the deletion');
      summary.push(`PCP: gateway ${String(ann.gateway)} (epoch ${String(ann.epoch)}), UDP ${PORT} mapped to ${String(mapped.externalAddress)}:${String(mapped.externalPort)} (lifetime ${String(mapped.lifetime)} s, forwarded), renewed with its nonce (${String(renewed.lifetime)} s), deleted`);
    } finally {
      await echo.stop();
    }
  });

  it('PortMapper: PCP first, NAT-PMP when PCP gets no answer, UPnP when neither; the mapping is removed on stop', { timeout: 90_000 }, async () => {
    const L = lab!;
    const h = L.host('h1a');
    const r1 = L.router('r1').ns;
    // PCP off, NAT-PMP on: miniupnpd serves both on 5351, so r1 drops what is PCP (version 2 in the first payload byte).
    const DROP_PCP = ['INPUT', '-p', 'udp', '--dport', '5351', '-m', 'u32', '--u32', '0>>22&0x3C@8>>24=2', '-j', 'DROP'];
    const cases = [
      { what: 'miniupnpd with PCP, NAT-PMP and UPnP', opts: {}, dropPcp: false, method: 'pcp', port: 43000 },
      { what: 'PCP dropped at the router', opts: {}, dropPcp: true, method: 'natpmp', port: 43001 },
      { what: 'NAT-PMP/PCP off in miniupnpd', opts: { natpmp: false }, dropPcp: false, method: 'upnp', port: 43002 },
    ] as const;
    for (const c of cases) {
      const m = await ensureMiniupnpd(c.opts);
      if (c.dropPcp) await L.execOk(r1, ['iptables', '-I', ...DROP_PCP]);
      const p = L.spawnNode(h.ns, `mapper:${c.port}`, PORTMAP_CLIENT, ['mapper', String(c.port)], { TIMEOUT_MS: '30000' });
      try {
        const got = (await p.waitForEvent('mapped', 20_000)) as unknown as { method: string; internal: { address: string; port: number }; external: { address: string; port: number }; lifetime: number };
        assert.equal(got.method, c.method, `${c.what}\n${p.dump()}`);
        assert.deepEqual(got.internal, { address: h.ip, port: c.port });
        assert.deepEqual(got.external, { address: m.externalIp, port: c.port });
        await waitFor(`the ${c.method} lease`, () => leaseFor(c.port));
        assert.equal(await p.stop('SIGTERM', 5000), 0, p.dump());
        assert.ok(p.eventsMatching('unmapped').length > 0, p.dump());
        await waitFor('the lease to go', () => leaseFor(c.port) === undefined);
        const tried = p.err.filter((l) => /pcp|NAT-PMP/i.test(l)).join(' | ');
        summary.push(`PortMapper, ${c.what}: ${got.method} ${got.external.address}:${got.external.port} (lifetime ${got.lifetime} s), removed on SIGTERM${tried ? `; ${tried}` : ''}`);
      } finally {
        await p.stop('SIGKILL', 1000);
        if (c.dropPcp) await L.execOk(r1, ['iptables', '-D', ...DROP_PCP]);
      }
    }
    await ensureMiniupnpd();
  });

  it('p2prc nat reports UPnP IGD, NAT-PMP and PCP: available with miniupnpd, not available without', { timeout: 90_000 }, async () => {
    const L = lab!;
    const h = L.host('h1a');
    type Avail = { available: boolean; externalAddress?: string; error?: string };
    const nat = async (json: boolean): Promise<{ out: string; rep?: { portMapping?: { upnp: Avail; natpmp: Avail; pcp: Avail } } }> => {
      const r = await L.exec(h.ns, [process.execPath, CLI, ...(json ? ['--json'] : []), 'nat', '--server', SERVER_URL], { timeoutMs: 60_000 });
      if (r.code !== 0) assert.fail(`p2prc nat exited ${r.code}:\n${r.stdout}${r.stderr}`);
      if (!json) return { out: r.stdout };
      try {
        return { out: r.stdout, rep: JSON.parse(r.stdout.trim().split('\n').pop() ?? '') };
      } catch {
        return assert.fail(`p2prc nat printed no JSON:\n${r.stdout}${r.stderr}`);
      }
    };
    const m = await ensureMiniupnpd();
    const on = await nat(true);
    assert.deepEqual(on.rep?.portMapping, { upnp: { available: true, externalAddress: m.externalIp }, natpmp: { available: true, externalAddress: m.externalIp }, pcp: { available: true } }, on.out);
    const text = (await nat(false)).out;
    assert.match(text, new RegExp(`^UPnP IGD +available \\(external ${m.externalIp.replace(/\./g, '\\.')}\\)$`, 'm'), text);
    assert.match(text, new RegExp(`^NAT-PMP +available \\(external ${m.externalIp.replace(/\./g, '\\.')}\\)$`, 'm'), text);
    assert.match(text, /^PCP +available$/m, text);
    summary.push(`p2prc nat with miniupnpd: ${text.split('\n').filter((l) => /^(UPnP IGD|NAT-PMP|PCP)/.test(l)).map((l) => l.replace(/\s+/g, ' ')).join('; ')}`);

    await stopMiniupnpd();
    const off = await nat(true);
    assert.equal(off.rep?.portMapping?.upnp.available, false, off.out);
    assert.equal(off.rep?.portMapping?.natpmp.available, false, off.out);
    assert.match(off.rep?.portMapping?.upnp.error ?? '', /no UPnP Internet Gateway Device answered/);
    assert.match(off.rep?.portMapping?.natpmp.error ?? '', /no NAT-PMP answer from 192\.168\.1\.1:5351/);
    assert.equal(off.rep?.portMapping?.pcp.available, false, off.out);
    assert.match(off.rep?.portMapping?.pcp.error ?? '', /no PCP answer from 192\.168\.1\.1:5351/);
    summary.push(`p2prc nat without miniupnpd: upnp ${off.rep?.portMapping?.upnp.error}; natpmp ${off.rep?.portMapping?.natpmp.error}`);
    await ensureMiniupnpd();
  });

  // ------------------------------------------------------------ end to end

  const echoes = new EchoServers(() => lab!);



  /** expose in h1a (with `exposeArgs`), connect in h2a, two 1 MiB echoes; the settled routes. */
  async function runPair(name: string, exposeArgs: string[], listenPort: number, onExposeReady?: (ex: Proc) => Promise<void>): Promise<PairResult> {
    const L = lab!;
    if (server.exitCode !== undefined) throw new Error(`the signal server exited (${server.exitCode})\n${server.dump()}`);
    await L.flushConntrack();
    const ha = L.host('h1a');
    const hb = L.host('h2a');
    await echoes.on(ha);
    const dirA = tmpDir('p2prc-lab-a-');
    const dirB = tmpDir('p2prc-lab-b-');
    const ex = L.spawnNode(ha.ns, `expose:${name}@h1a`, CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', name, '--server', SERVER_URL, '--data-dir', dirA, ...exposeArgs]);
    await ex.waitForEvent({ event: 'registered', peerId: /^[0-9a-f]{40}$/ }, PEER_START_MS);
    await onExposeReady?.(ex);
    const co = L.spawnNode(hb.ns, `connect:${name}/echo@h2a`, CLI, ['--json', 'connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `c-${name}`, '--server', SERVER_URL, '--data-dir', dirB]);
    const ctx = (): string => `${co.dump()}\n${ex.dump()}`;
    await co.waitForEvent({ event: 'listening', address: '127.0.0.1' }, PEER_START_MS);
    const first = await firstRoute(co, ctx);
    const routeAt = performance.now();
    const e1 = await echoThrough(lab!, hb.ns, listenPort, ctx);
    await new Promise((r) => setTimeout(r, Math.max(0, routeAt + SETTLE_MS - performance.now())));
    const e2 = await echoThrough(lab!, hb.ns, listenPort, ctx);
    const routeLines = co.eventsMatching('route').map((r) => `route ${name}/echo: ${routeText(asRoute(r))}`);
    const exposeRouteLines = ex.eventsMatching('route').map((r) => routeText(asRoute(r)));
    const last = lastRoute(co) ?? first;
    const exLast = lastRoute(ex);
    const deadline = Date.now() + 5000;
    const [exposeRow, connectRow] = await Promise.all([mappingRow(dirA, 'expose', deadline), mappingRow(dirB, 'connect', deadline)]);
    return { routeLines, exposeRouteLines, route: last, ...(exLast ? { exposeRoute: exLast } : {}), firstViaServer: e1.viaServer, steadyViaServer: e2.viaServer, echoMs: e1.ms, ...(exposeRow ? { exposeRow } : {}), ...(connectRow ? { connectRow } : {}), ex, co, dirA };
  }

  it('control: symmetric <-> symmetric without --upnp can only relay', { timeout: 120_000 }, async () => {
    const L = lab!;
    await ensureMiniupnpd();
    assert.equal(L.router('r1').mode, 'symmetric');
    assert.equal(L.router('r2').mode, 'symmetric');
    const p0 = performance.now();
    let res: PairResult | undefined;
    try {
      res = await runPair('ctl', [], 9100);
      const ctx = `${res.co.dump()}\n${res.ex.dump()}`;
      assert.equal(res.route.kind, 'relay', `connect's settled route: ${routeText(res.route)}\n${ctx}`);
      assert.ok(res.steadyViaServer >= 2 * BYTES, `the settled echo went through the server host (${mib(res.steadyViaServer)})`);
      assert.equal(res.exposeRow?.route, 'relay');
      assert.equal(res.connectRow?.route, 'relay');
      summary.push(`control (no --upnp), ${Math.round(performance.now() - p0)} ms: connect ${routeText(res.route)}; expose ${res.exposeRoute ? routeText(res.exposeRoute) : '-'}; via server ${mib(res.firstViaServer)} / ${mib(res.steadyViaServer)}`);
    } finally {
      await Promise.all([res?.co.stop('SIGTERM', 3000), res?.ex.stop('SIGTERM', 3000)]);
    }
  });

  for (const [i, r2Mode] of (['symmetric', 'eim'] as const).entries()) {
    it(`expose ${i === 0 ? '--port-map' : '--upnp (its older name)'} behind a symmetric router with miniupnpd, connect behind ${r2Mode}: direct through a PCP mapping (route upnp), byte-exact; mapping removed on stop`, { timeout: 120_000 }, async () => {
      const L = lab!;
      const m = await ensureMiniupnpd();
      const ha = L.host('h1a');
      const ICE_PORT = 45000 + i;
      const name = `up-${r2Mode}`;
      if (L.router('r2').mode !== r2Mode) await L.setMode('r2', r2Mode);
      const p0 = performance.now();
      let mappingLine = '';
      let res: PairResult | undefined;
      try {
        res = await runPair(name, [i === 0 ? '--port-map' : '--upnp', '--ice-port', String(ICE_PORT)], 9101 + i, async (ex) => {
          // The mapping is made before registering: it must be there now.
          const ml = await ex.waitFor(/router port mapping .*/, 'err', 5000).catch(() => assert.fail(`no router port mapping logged\n${ex.dump()}\n${m.proc.dump()}`));
          mappingLine = ml[0];
          assert.match(mappingLine, new RegExp(`method=pcp internal=${ha.ip.replace(/\./g, '\\.')}:${ICE_PORT} external=${m.externalIp.replace(/\./g, '\\.')}:${ICE_PORT}`), mappingLine);
          const lease = leaseFor(ICE_PORT);
          assert.ok(lease, `lease for ${ICE_PORT} while expose runs: ${JSON.stringify(m.leases())}`);
          assert.deepEqual([lease.internalAddress, lease.internalPort], [ha.ip, ICE_PORT]);
        });
        const ctx = `${res.co.dump()}\n${res.ex.dump()}`;
        const problems: string[] = [];
        const { kind, local: { type: lt }, remote: { type: rt } } = res.route;
        const local = endpoint(res.route.local);
        const remote = endpoint(res.route.remote);
        if (kind !== 'upnp') problems.push(`connect's settled route is ${kind}, expected upnp`);
        if (rt !== 'srflx' || remote !== `${m.externalIp}:${ICE_PORT}`) problems.push(`connect's remote candidate is ${rt} ${remote}, expected the mapping srflx ${m.externalIp}:${ICE_PORT}`);
        // connect's local side: its host candidate, or the reflexive address r2 gave the flow to the mapping (prflx).
        const hb = L.host('h2a');
        if (!((lt === 'host' && local.startsWith(`${hb.ip}:`)) || (/^(prflx|srflx)$/.test(lt) && local.startsWith(`${hb.router!.wanIp}:`)))) problems.push(`connect's local candidate is ${lt} ${local}, expected its host candidate or r2's address`);
        // The exposer's local side: its ICE port's host candidate, or the mapping's external address it learned (prflx).
        const ex = res.exposeRoute;
        if (ex?.kind !== 'upnp') problems.push(`the exposer's settled route is ${ex ? routeText(ex) : '(none)'}, expected upnp`);
        else if (!((ex.local.type === 'host' && endpoint(ex.local) === `${ha.ip}:${ICE_PORT}`) || (/^(prflx|srflx)$/.test(ex.local.type) && endpoint(ex.local) === `${m.externalIp}:${ICE_PORT}`))) problems.push(`the exposer's local candidate is ${ex.local.type} ${endpoint(ex.local)}, expected ${ha.ip}:${ICE_PORT} or the mapping ${m.externalIp}:${ICE_PORT}`);
        else if (endpoint(ex.remote) !== local) problems.push(`the exposer's remote candidate ${ex.remote.type} ${endpoint(ex.remote)} is not connect's local ${lt} ${local}`);
        if (res.steadyViaServer >= BYTES / 4) problems.push(`${mib(res.steadyViaServer)} went through the server host during the settled 1 MiB echo: not direct`);
        if (res.exposeRow?.route !== 'upnp') problems.push(`expose mapping row says ${res.exposeRow?.route ?? '(none)'}, expected upnp`);
        if (res.connectRow?.route !== 'upnp') problems.push(`connect mapping row says ${res.connectRow?.route ?? '(none)'}, expected upnp`);
        summary.push(`--upnp pair, connect behind ${r2Mode}, ${Math.round(performance.now() - p0)} ms: ${mappingLine.replace(/^\S+ /, '')}`);
        for (const l of res.routeLines) summary.push(`  connect: ${l}`);
        for (const l of res.exposeRouteLines) summary.push(`  expose:  ${l}`);
        summary.push(`  via server: first echo ${mib(res.firstViaServer)}, settled ${mib(res.steadyViaServer)}; rows expose ${res.exposeRow?.route} / connect ${res.connectRow?.route}`);
        if (problems.length) assert.fail(`--upnp pair (connect behind ${r2Mode}):\n  - ${problems.join('\n  - ')}\n${ctx}\n${m.proc.dump()}`);

        // Stopping expose removes the mapping (DeletePortMapping on the way out).
        await res.co.stop('SIGTERM', 3000);
        assert.equal(await res.ex.stop('SIGTERM', 5000), 0, res.ex.dump());
        await waitFor('the mapping to be removed', () => leaseFor(ICE_PORT) === undefined, 3000).catch(() => assert.fail(`lease left after expose stopped: ${JSON.stringify(m.leases())}\n${res!.ex.dump()}\n${m.proc.dump()}`));
        assert.doesNotMatch(await m.nftRules(), new RegExp(`dport ${ICE_PORT} `), 'DNAT rule removed');
        summary.push(`  after SIGTERM: lease and DNAT rule for ${ICE_PORT} gone`);
      } finally {
        await Promise.all([res?.co.stop('SIGTERM', 3000), res?.ex.stop('SIGTERM', 3000)]);
      }
    });
  }

  it('expose --upnp whose mapping forwards nothing (a second NAT upstream): still connects, through the relay', { timeout: 120_000 }, async () => {
    const L = lab!;
    const m = await ensureMiniupnpd();
    if (L.router('r2').mode !== 'symmetric') await L.setMode('r2', 'symmetric');
    const ICE_PORT = 45010;
    const p0 = performance.now();
    let res: PairResult | undefined;
    try {
      res = await runPair('up-broken', ['--upnp', '--ice-port', String(ICE_PORT)], 9110, async (ex) => {
        await ex.waitFor(/router port mapping method=\w+/, 'err', 5000);
        await m.breakForwarding();
        assert.doesNotMatch(await m.nftRules(), /dnat/);
      });
      const ctx = `${res.co.dump()}\n${res.ex.dump()}`;
      // In ICE UDP mux mode libjuice gathers no TURN candidates for the exposer
      // ("TURN servers are not supported in mux mode"): the relay path is connect's allocation.
      assert.equal(res.route.kind, 'relay', `connect's settled route: ${routeText(res.route)}\n${ctx}`);
      assert.ok(res.steadyViaServer >= 2 * BYTES, `the settled echo went through the server host (${mib(res.steadyViaServer)})`);
      assert.equal(res.exposeRow?.route, 'relay');
      assert.equal(res.connectRow?.route, 'relay');
      summary.push(`--upnp, mapping forwarding nothing, ${Math.round(performance.now() - p0)} ms: connect ${routeText(res.route)}; expose ${res.exposeRoute ? routeText(res.exposeRoute) : '-'}; via server ${mib(res.firstViaServer)} / ${mib(res.steadyViaServer)}`);
    } finally {
      await Promise.all([res?.co.stop('SIGTERM', 3000), res?.ex.stop('SIGTERM', 3000)]);
    }
  });
});

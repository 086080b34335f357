// Run inside a lab host namespace by bench/lab/portmap-packages.ts: one npm
// port-mapping package (or our own PortMapper) maps UDP PORT for 600 s over one
// method, reports the external address, waits for "unmap" on stdin, unmaps,
// and exits. One JSON line per step on stdout:
//   {"event":"mapped","ms":..,"external":..,"mapResult":..}  or  {"event":"map-failed","ms":..,"error":..}
//   {"event":"unmapped","ms":..}                              or  {"event":"unmap-failed","error":..}
// Each package is driven the way its own source says works (see the bench's
// notes); every await is bounded by STEP_MS so a hang is reported, not waited on.
//
//   node child.mjs nat-api|silentbot|achingbrain|ours upnp|natpmp PORT GATEWAY LAN_IP
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const [pkg, method, portArg, gateway, lanIp] = process.argv.slice(2);
const PORT = Number(portArg);
const TTL = 600;
const STEP_MS = 15_000;
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const bounded = (p, what) =>
  Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no result within ${STEP_MS / 1000} s (hung)`)), STEP_MS).unref())]);
const errText = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${JSON.stringify(e)}`);
// A package that crashes the process on a reply (nat-api 0.3.1's NAT-PMP) is reported, not lost.
process.on('uncaughtException', (e) => {
  print({ event: 'crashed', error: errText(e) });
  process.exit(3);
});

async function driver() {
  if (pkg === 'nat-api' || pkg === 'silentbot') {
    const NatAPI = (await import(pkg === 'nat-api' ? 'nat-api' : '@silentbot1/nat-api')).default;
    // nat-api 0.3.1 has no UPnP-off switch (NAT-PMP falls back to UPnP); the fork has both switches.
    const client = new NatAPI({ enablePMP: method === 'natpmp', enableUPNP: method === 'upnp', autoUpdate: false, description: 'p2prc-lab pkg' });
    client.autoUpdate = false; // nat-api 0.3.1 ignores the option (index.js:21)
    const opts = { publicPort: PORT, privatePort: PORT, protocol: 'UDP', ttl: TTL, description: 'p2prc-lab pkg' };
    if (pkg === 'nat-api') {
      const map = promisify(client.map.bind(client));
      const unmap = promisify(client.unmap.bind(client));
      const ext = () => new Promise((resolve, reject) => client.externalIp((err, ip) => (err ? reject(err) : resolve(ip))));
      return { map: async () => (await map(opts), 'callback ok'), external: ext, unmap: () => unmap(opts), close: () => new Promise((r) => client.destroy(r)) };
    }
    return {
      map: async () => {
        const ok = await client.map(opts);
        if (!ok) throw new Error('map() resolved false (no reason given)');
        return 'resolved true';
      },
      external: async () => {
        const ip = await client.externalIp();
        if (!ip) throw new Error("externalIp() resolved '' (no reason given)");
        return ip;
      },
      unmap: async () => {
        if (!(await client.unmap(opts))) throw new Error('unmap() resolved false');
      },
      close: () => client.destroy(),
    };
  }
  if (pkg === 'achingbrain') {
    const { upnpNat, pmpNat } = await import('@achingbrain/nat-port-mapper');
    let gw;
    if (method === 'natpmp') gw = pmpNat(gateway, { description: 'p2prc-lab pkg', autoRefresh: false });
    else {
      const client = upnpNat({ description: 'p2prc-lab pkg', autoRefresh: false });
      for await (const g of client.findGateways({ signal: AbortSignal.timeout(5000) })) {
        if (g.family === 'IPv4') {
          gw = g;
          break;
        }
      }
      if (!gw) throw new Error('findGateways() found no gateway within 5 s (it searches for InternetGatewayDevice:2 only; no error raised)');
    }
    return {
      // Its NAT-PMP ttl is seconds on the wire, its UPnP ttl milliseconds (max(ttl/1000, 3600) s sent).
      map: async () => JSON.stringify(await gw.map(PORT, lanIp, { protocol: 'udp', ttl: method === 'natpmp' ? TTL : TTL * 1000, signal: AbortSignal.timeout(10_000) })),
      external: () => gw.externalIp({ signal: AbortSignal.timeout(5000) }),
      unmap: () => gw.unmap(PORT, { protocol: 'udp', signal: AbortSignal.timeout(5000) }),
      close: () => gw.stop(),
    };
  }
  if (pkg === 'ours') {
    const { PortMapper } = await import('../../dist/src/portmap/mapper.js');
    const mapper = new PortMapper({ methods: [method], description: 'p2prc-lab pkg' });
    let m;
    return {
      map: async () => {
        m = await mapper.map('udp', PORT);
        return `${m.method} ${m.external.address}:${m.external.port} lifetime ${m.lifetime}`;
      },
      external: async () => m.external.address,
      unmap: () => mapper.unmap(),
      close: async () => undefined,
    };
  }
  throw new Error(`unknown package ${pkg}`);
}

const t0 = performance.now();
let d;
try {
  d = await bounded(driver(), 'set-up');
  const mapResult = await bounded(d.map(), 'map');
  const ms = Math.round(performance.now() - t0);
  let external;
  try {
    external = await bounded(d.external(), 'external address');
  } catch (e) {
    external = `(${errText(e)})`;
  }
  print({ event: 'mapped', ms, external, mapResult: String(mapResult).slice(0, 200) });
} catch (e) {
  print({ event: 'map-failed', ms: Math.round(performance.now() - t0), error: errText(e) });
  await d?.close?.().catch?.(() => undefined);
  process.exit(1);
}
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.includes('unmap')) continue;
  const t1 = performance.now();
  try {
    await bounded(d.unmap(), 'unmap');
    print({ event: 'unmapped', ms: Math.round(performance.now() - t1) });
  } catch (e) {
    print({ event: 'unmap-failed', error: errText(e) });
  }
  try {
    await bounded(Promise.resolve(d.close()), 'close');
  } catch (e) {
    print({ event: 'close-failed', error: errText(e) });
  }
  process.exit(0);
}

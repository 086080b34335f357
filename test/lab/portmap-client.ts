/**
 * Lab helper, run inside a namespace behind a lab NAT router that runs miniupnpd:
 * our own port-mapping clients (src/portmap/) and a UDP probe, one JSON line on
 * stdout per result (`{"error": ...}` and exit 1 on failure). Every command is
 * bounded (TIMEOUT_MS, default 20 s; `mapper` and `udp-echo` end by themselves).
 *
 *   upnp-info                      SSDP discovery + GetExternalIPAddress
 *   upnp-map PORT [LIFETIME]       AddPortMapping UDP PORT -> this host:PORT
 *   upnp-unmap PORT                DeletePortMapping UDP PORT
 *   pmp-external                   NAT-PMP external address (default gateway)
 *   pmp-map PORT [LIFETIME]        NAT-PMP map UDP PORT
 *   pmp-unmap PORT                 NAT-PMP delete (lifetime 0)
 *   pcp-announce                   PCP ANNOUNCE (does the gateway speak PCP?)
 *   pcp-map PORT LIFETIME [NONCE]  PCP MAP UDP PORT (NONCE: 24 hex digits, to renew)
 *   pcp-unmap PORT NONCE           PCP MAP with lifetime 0 (delete)
 *   mapper PORT [METHOD,...]       PortMapper.map() with these methods (default pcp,natpmp,upnp); prints {"event":"mapped",...},
 *                                  unmaps on SIGTERM (prints {"event":"unmapped"})
 *   udp-echo PORT SECONDS          echo UDP datagrams on PORT, print each sender
 *   udp-probe IP PORT [MS]         send a datagram, wait MS for the echo
 *
 * Usage: TIMEOUT_MS=20000 node portmap-client.js COMMAND ARGS...
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { defaultGateway, localAddressFor } from '../../src/portmap/gateway.js';
import { pmpExternalAddress, pmpMap } from '../../src/portmap/natpmp.js';
import { discoverIgd, upnpExternalAddress, upnpMap, upnpUnmap } from '../../src/portmap/upnp.js';
import { METHODS, PortMapper, type MapMethod } from '../../src/portmap/mapper.js';
import { pcpAnnounce, pcpMap } from '../../src/portmap/pcp.js';

const [cmd, ...args] = process.argv.slice(2);
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 20_000);
const print = (o: unknown): void => {
  process.stdout.write(JSON.stringify(o) + '\n');
};
const fail = (msg: string): never => {
  print({ error: msg });
  process.exit(1);
};
const guard = setTimeout(() => fail(`${cmd}: timed out after ${timeoutMs} ms`), timeoutMs);
const num = (v: string | undefined, what: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 65536) fail(`bad ${what}: ${v}`);
  return n;
};
const gateway = (): string => defaultGateway() ?? fail('no default gateway');

async function main(): Promise<void> {
  switch (cmd) {
    case 'upnp-info': {
      const t0 = performance.now();
      const svc = await discoverIgd(3000);
      const external = await upnpExternalAddress(svc);
      print({ ...svc, external, ms: Math.round(performance.now() - t0) });
      break;
    }
    case 'upnp-map': {
      const port = num(args[0], 'port');
      const svc = await discoverIgd(3000);
      const internalClient = await localAddressFor(new URL(svc.controlUrl).hostname);
      await upnpMap(svc, { protocol: 'udp', internalClient, internalPort: port, externalPort: port, lifetime: num(args[1] ?? '3600', 'lifetime'), description: `p2prc-lab ${port}` });
      print({ mapped: true, internalClient, port, external: await upnpExternalAddress(svc), controlUrl: svc.controlUrl });
      break;
    }
    case 'upnp-unmap': {
      const svc = await discoverIgd(3000);
      await upnpUnmap(svc, 'udp', num(args[0], 'port'));
      print({ unmapped: true });
      break;
    }
    case 'pmp-external':
      print({ gateway: gateway(), external: await pmpExternalAddress(gateway()) });
      break;
    case 'pmp-map': {
      const port = num(args[0], 'port');
      const m = await pmpMap(gateway(), 'udp', port, port, num(args[1] ?? '3600', 'lifetime'));
      print({ mapped: true, ...m });
      break;
    }
    case 'pmp-unmap': {
      const m = await pmpMap(gateway(), 'udp', num(args[0], 'port'), 0, 0);
      print({ unmapped: true, ...m });
      break;
    }
    case 'pcp-announce':
      print({ gateway: gateway(), ...(await pcpAnnounce(gateway(), await localAddressFor(gateway()))) });
      break;
    case 'pcp-map':
    case 'pcp-unmap': {
      const port = num(args[0], 'port');
      const lifetime = cmd === 'pcp-unmap' ? 0 : num(args[1], 'lifetime');
      const nonceHex = cmd === 'pcp-unmap' ? args[1] : args[2];
      const m = await pcpMap(gateway(), { protocol: 'udp', internalPort: port, lifetime, clientAddress: await localAddressFor(gateway()), ...(nonceHex ? { nonce: Buffer.from(nonceHex, 'hex') } : {}) });
      print({ [cmd === 'pcp-map' ? 'mapped' : 'unmapped']: true, ...m, nonce: m.nonce.toString('hex') });
      break;
    }
    case 'mapper': {
      const port = num(args[0], 'port');
      const methods = (args[1]?.split(',') ?? [...METHODS]) as MapMethod[];
      const mapper = new PortMapper({ methods, description: `p2prc-lab mapper ${port}`, log: (m) => process.stderr.write(m + '\n') });
      const m = await mapper.map('udp', port);
      clearTimeout(guard);
      // Bounded: unmap and leave after the timeout even without a signal.
      const stop = async (why: string): Promise<void> => {
        await mapper.unmap();
        print({ event: 'unmapped', why });
        process.exit(0);
      };
      // The handler before the line: a parent that signals as soon as it reads it must not find the default action.
      process.once('SIGTERM', () => void stop('SIGTERM'));
      setTimeout(() => void stop('timeout'), timeoutMs);
      print({ event: 'mapped', ...m, ...(m.nonce ? { nonce: m.nonce.toString('hex') } : {}) });
      break;
    }
    case 'udp-echo': {
      clearTimeout(guard);
      const port = num(args[0], 'port');
      const s = createSocket('udp4');
      s.on('message', (msg, rinfo) => {
        print({ event: 'got', from: `${rinfo.address}:${rinfo.port}`, bytes: msg.length });
        s.send(msg, rinfo.port, rinfo.address);
      });
      s.on('error', (err) => fail(`udp-echo: ${err.message}`));
      process.once('SIGTERM', () => process.exit(0));
      setTimeout(() => process.exit(0), num(args[1] ?? '20', 'seconds') * 1000).unref();
      s.bind(port, () => print({ event: 'listening', port }));
      // The socket keeps the loop alive until the timer or a signal ends it.
      setInterval(() => undefined, 1 << 30);
      break;
    }
    case 'udp-probe': {
      const [ip, portArg, msArg] = args;
      if (!ip) fail('udp-probe IP PORT [MS]');
      const port = num(portArg, 'port');
      const ms = num(msArg ?? '1500', 'ms');
      const s = createSocket('udp4');
      const token = randomBytes(8);
      const t0 = performance.now();
      const res = await new Promise<{ ok: boolean; from?: string; rttMs?: number }>((resolve) => {
        const t = setTimeout(() => resolve({ ok: false }), ms);
        s.on('message', (msg, rinfo) => {
          if (!msg.equals(token)) return;
          clearTimeout(t);
          resolve({ ok: true, from: `${rinfo.address}:${rinfo.port}`, rttMs: Math.round(performance.now() - t0) });
        });
        s.bind(0, () => {
          // Two sends, in case the first meets an ARP resolution on the way.
          s.send(token, port, ip!);
          setTimeout(() => s.send(token, port, ip!), 200).unref();
        });
      });
      s.close();
      print(res);
      break;
    }
    default:
      fail(`unknown command ${cmd ?? '(none)'}: see the header of portmap-client.ts`);
  }
}

main().then(
  () => {
    if (cmd !== 'mapper' && cmd !== 'udp-echo') {
      clearTimeout(guard);
      process.exit(0);
    }
  },
  (err: Error) => fail(`${cmd}: ${err.message}`),
);

/**
 * `p2prc expose`: register with a signal server and serve local TCP services to
 * peers, printing each route as it is set up or changes.
 */
import type { Command } from 'commander';
import { ErrorCode, P2prcError } from '../../protocol/errors.js';
import { Exposer, parseServiceSpec, type ServiceTarget } from '../../tunnel/expose.js';
import { formatRoute } from '../format.js';
import { addPeerOptions, collect, serverOption } from '../options.js';
import { numericOption, parseCount, parsePort } from '../numbers.js';
import { startNode, type PeerOpts } from '../peer-node.js';
import { defaultName, onShutdown, out, untilSignal, type CliContext } from '../runtime.js';
import { PublicPorts, splitPublicSpec } from '../../tunnel/public-ports.js';
import type { PublicService } from '../../protocol/messages.js';
import { DEFAULT_FAILOVER_MS, ProxyFailover, type Attached } from '../../proxy/failover.js';
import { proxyUrl } from '../seed-flags.js';
import { resolveDataDir } from '../../util/paths.js';
import { createLogger } from '../../util/log.js';

export function addExposeCommand(program: Command, cli: CliContext): void {
  addPeerOptions(
    program
      .command('expose')
      .description('register with a signal server and serve local TCP and UDP services to peers (and, with --public, to anyone through a reverse proxy)')
      .argument('<services...>', 'services as name=port, name=host:port, name=port/udp, e.g. web=8080 db=127.0.0.1:5432 game=27015/udp; with --public, :public=PORT asks for that public port')
      .addOption(serverOption())
      .option('--name <name>', 'name to register under (default: host name)'),
  )
    .option('--port-map', 'map the ICE port on the router (PCP, else NAT-PMP, else UPnP IGD) so peers can reach us directly', false)
    .option('--upnp', 'the same as --port-map (its older name)', false)
    .addOption(numericOption('--ice-port <port>', 'local UDP port for ICE with --port-map (default: random 40000-49999)', parsePort))
    .option('--public', 'ask the server (a reverse proxy: p2prc server --reverse-proxy) for a public port per service, so plain clients reach it; name=port:public=30080 asks for that port', false)
    .option('--public-allow <cidr>', 'with --public: only clients from this range may use the public ports (repeatable)', collect, [])
    .addOption(numericOption('--public-rate <bytes/s>', 'with --public: cap each public port at this many bytes/s each way', parseCount))
    .option('--proxy <url>', 'with --server auto: a reverse proxy to start from (repeatable), beside those in reverse_proxy_server.json', collect, [])
    .addOption(numericOption('--failover-after <s>', 'with --server auto: move to the next nearest proxy when ours has been unreachable this long', parseCount, String(DEFAULT_FAILOVER_MS / 1000)))
    .action(async (specs: string[], o: ExposeOpts) => {
      const asked = specs.map(splitPublicSpec);
      if (!o.public && asked.some((a) => a.publicPort !== undefined)) throw new P2prcError(ErrorCode.BadArgument, ':public=PORT needs --public');
      if (o.server === 'auto' && !o.public) throw new P2prcError(ErrorCode.BadArgument, '--server auto picks a reverse proxy: it needs --public');
      const parsed = asked.map((a) => ({ ...a, entry: parseServiceSpec(a.spec) }));
      const services = new Map<string, ServiceTarget>(parsed.map((p) => p.entry));
      const wanted: PublicService[] = parsed.map((p) => ({
        name: p.entry[0],
        type: p.entry[1].type ?? 'tcp',
        ...(p.publicPort ? { port: p.publicPort } : {}),
        ...(o.publicAllow.length ? { allow: o.publicAllow } : {}),
        ...(o.publicRate ? { rate: o.publicRate } : {}),
      }));
      const o2 = out(cli.json());
      const name = o.name ?? defaultName();
      if (o.server !== 'auto') {
        await serve(o, name, services, o.public ? wanted : undefined, o2);
        untilSignal();
        return;
      }
      const failover = new ProxyFailover({
        dataDir: resolveDataDir(o.dataDir),
        given: o.proxy.map(proxyUrl),
        failoverMs: o.failoverAfter * 1000,
        attach: (url) => serve({ ...o, server: url }, name, services, wanted, o2),
        log: createLogger('expose'),
      });
      failover.on('chosen', (p, ranked) =>
        o2.print(`reverse proxy: ${p.url} (${p.rtt} ms, nearest of ${ranked.filter((r) => r.rtt !== undefined).length} answering)`, {
          event: 'proxy-chosen',
          url: p.url,
          name: p.name,
          rttMs: p.rtt,
          ranked: ranked.map((r) => ({ url: r.url, rttMs: r.rtt ?? null })),
        }),
      );
      failover.on('leaving', (url, why) => o2.print(`leaving reverse proxy ${url}: ${why}`, { event: 'proxy-leaving', url, reason: why }));
      failover.on('skipped', (url, why) => o2.print(`reverse proxy ${url} skipped: ${why}`, { event: 'proxy-skipped', url, reason: why }));
      onShutdown(() => failover.stop());
      await failover.start();
      untilSignal();
    });
}

/**
 * A peer on `o.server` serving `services`, and with `wanted`, their public ports
 * on that server (a reverse proxy). Throws when the server refuses us or a port.
 */
async function serve(o: ExposeOpts, name: string, services: Map<string, ServiceTarget>, wanted: PublicService[] | undefined, o2: ReturnType<typeof out>): Promise<Attached> {
  const node = await startNode(o, name, o2.json);
  const exposer = new Exposer(node, services);
  for (const [svc, t] of services) {
    const kind = t.type ?? 'tcp';
    o2.print(`exposing ${node.name}/${svc} -> ${t.host}:${t.port}${kind === 'udp' ? '/udp' : ''}`, { event: 'exposing', peer: node.name, peerId: node.peerId, service: svc, target: `${t.host}:${t.port}`, type: kind });
  }
  o2.print(`registered as ${node.name} (peer id ${node.peerId}) at ${o.server}`, { event: 'registered', name: node.name, peerId: node.peerId, server: o.server });
  node.on('route', (peer, route, was) =>
    o2.print(`route ${formatRoute(`${peer.name} -> ${node.name}`, route, was)}`, {
      event: 'route',
      peer: peer.name,
      peerId: peer.peerId,
      ...route,
      previous: was,
    }),
  );
  let pub: PublicPorts | undefined;
  if (wanted) {
    pub = new PublicPorts(node, wanted);
    const counted = pub;
    exposer.on('stream-end', (session, s) => counted.count(session.remote.peerId, s.service, s.type, s));
    onShutdown(async () => pub?.stop());
    pub.on('port', (p) =>
      o2.print(`public port: ${node.name}/${p.service} -> ${p.ipv4}:${p.serverport} (${p.type})${p.previous ? `, was ${p.previous}` : ''}${p.kept ? ', kept' : ''}, via ${p.proxy}`, { event: 'public-port', ...p }),
    );
    try {
      // The first answer decides: a refused port (taken, outside the proxy's range) ends the command.
      await pub.start();
    } catch (err) {
      pub.stop();
      await node.stop();
      throw err;
    }
    pub.on('refused', (r) =>
      o2.print(`public port refused: ${node.name}/${r.service} (${r.type}): ${r.error.message} [${r.error.code}]`, { event: 'public-port-refused', service: r.service, type: r.type, code: r.error.code, message: r.error.message }),
    );
  }
  return {
    node,
    stop: async () => {
      pub?.stop();
      await node.stop();
    },
  };
}

interface ExposeOpts extends PeerOpts {
  public: boolean;
  proxy: string[];
  failoverAfter: number;
  publicAllow: string[];
  publicRate?: number;
}

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

export function addExposeCommand(program: Command, cli: CliContext): void {
  addPeerOptions(
    program
      .command('expose')
      .description('register with a signal server and serve local TCP services to peers')
      .argument('<services...>', 'services as name=port or name=host:port, e.g. web=8080 db=127.0.0.1:5432')
      .addOption(serverOption())
      .option('--name <name>', 'name to register under (default: host name)'),
  )
    .option('--upnp', 'map the ICE port on the router (UPnP IGD, else NAT-PMP) so peers can reach us directly', false)
    .addOption(numericOption('--ice-port <port>', 'local UDP port for ICE with --upnp (default: random 40000-49999)', parsePort))
    .option('--public', 'ask the server (a reverse proxy: p2prc server --reverse-proxy) for a public port per service, so plain clients reach it; name=port:public=30080 asks for that port', false)
    .option('--public-allow <cidr>', 'with --public: only clients from this range may use the public ports (repeatable)', collect, [])
    .addOption(numericOption('--public-rate <bytes/s>', 'with --public: cap each public port at this many bytes/s each way', parseCount))
    .action(async (specs: string[], o: ExposeOpts) => {
      const asked = specs.map(splitPublicSpec);
      if (!o.public && asked.some((a) => a.publicPort !== undefined)) throw new P2prcError(ErrorCode.BadArgument, ':public=PORT needs --public');
      const parsed = asked.map((a) => ({ ...a, entry: parseServiceSpec(a.spec) }));
      const services = new Map<string, ServiceTarget>(parsed.map((p) => p.entry));
      const node = await startNode(o, o.name ?? defaultName(), cli.json());
      new Exposer(node, services);
      const o2 = out(cli.json());
      for (const [name, t] of services) {
        o2.print(`exposing ${node.name}/${name} -> ${t.host}:${t.port}`, { event: 'exposing', peer: node.name, peerId: node.peerId, service: name, target: `${t.host}:${t.port}` });
      }
      o2.print(`registered as ${node.name} (peer id ${node.peerId}) at ${o.server}`, { event: 'registered', name: node.name, peerId: node.peerId, server: o.server });
      if (o.public) {
        const wanted: PublicService[] = parsed.map((p) => ({
          name: p.entry[0],
          type: (p.entry[1] as { type?: 'tcp' | 'udp' }).type ?? 'tcp',
          ...(p.publicPort ? { port: p.publicPort } : {}),
          ...(o.publicAllow.length ? { allow: o.publicAllow } : {}),
          ...(o.publicRate ? { rate: o.publicRate } : {}),
        }));
        const pub = new PublicPorts(node, wanted);
        onShutdown(async () => pub.stop());
        pub.on('port', (p) =>
          o2.print(`public port: ${node.name}/${p.service} -> ${p.ipv4}:${p.serverport} (${p.type})${p.previous ? `, was ${p.previous}` : ''}${p.kept ? ', kept' : ''}, via ${p.proxy}`, { event: 'public-port', ...p }),
        );
        // The first answer decides: a refused port (taken, outside the proxy's range) ends the command.
        await pub.start();
        pub.on('refused', (r) =>
          o2.print(`public port refused: ${node.name}/${r.service} (${r.type}): ${r.error.message} [${r.error.code}]`, { event: 'public-port-refused', service: r.service, type: r.type, code: r.error.code, message: r.error.message }),
        );
      }
      node.on('route', (peer, route, was) =>
        o2.print(`route ${formatRoute(`${peer.name} -> ${node.name}`, route, was)}`, {
          event: 'route',
          peer: peer.name,
          peerId: peer.peerId,
          ...route,
          previous: was,
        }),
      );
      untilSignal();
    });
}

interface ExposeOpts extends PeerOpts {
  public: boolean;
  publicAllow: string[];
  publicRate?: number;
}

/**
 * `p2prc expose`: register with a signal server and serve local TCP services to
 * peers, printing each route as it is set up or changes.
 */
import type { Command } from 'commander';
import { Exposer, parseServiceSpec, type ServiceTarget } from '../../tunnel/expose.js';
import { formatRoute } from '../format.js';
import { addPeerOptions, serverOption } from '../options.js';
import { numericOption, parsePort } from '../numbers.js';
import { startNode, type PeerOpts } from '../peer-node.js';
import { defaultName, out, untilSignal, type CliContext } from '../runtime.js';

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
    .action(async (specs: string[], o: PeerOpts) => {
      const services = new Map<string, ServiceTarget>(specs.map(parseServiceSpec));
      const node = await startNode(o, o.name ?? defaultName(), cli.json());
      new Exposer(node, services);
      const o2 = out(cli.json());
      for (const [name, t] of services) {
        o2.print(`exposing ${node.name}/${name} -> ${t.host}:${t.port}`, { event: 'exposing', peer: node.name, peerId: node.peerId, service: name, target: `${t.host}:${t.port}` });
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
      untilSignal();
    });
}

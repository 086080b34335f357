/**
 * `p2prc connect`: a local TCP listener whose every connection is carried to a
 * service on a peer; refuses outright on a changed or tampered peer key.
 */
import type { Command } from 'commander';
import { Connector, parseListen, parseTarget } from '../../tunnel/connect.js';
import { P2prcError } from '../../protocol/errors.js';
import { formatRoute, formatSetup } from '../format.js';
import { addPeerOptions, serverOption } from '../options.js';
import { startNode, type PeerOpts } from '../peer-node.js';
import { onShutdown, out, untilSignal, type CliContext } from '../runtime.js';

export function addConnectCommand(program: Command, cli: CliContext): void {
  addPeerOptions(
    program
      .command('connect')
      .description('open a local TCP listener that carries every connection to a service on a peer')
      .argument('<target>', 'peer/service, e.g. alice/web (peer may be a full peer id to pin its key)')
      .requiredOption('--listen <[host:]port>', 'local address to listen on (host defaults to 127.0.0.1)')
      .addOption(serverOption())
      .option('--name <name>', 'name to register under (default: host name + peer id prefix)'),
  )
    .action(async (targetSpec: string, o: PeerOpts & { listen: string }) => {
      const target = parseTarget(targetSpec);
      const listen = parseListen(o.listen);
      const node = await startNode(o, o.name, cli.json());
      const connector = new Connector(node, target, listen);
      const addr = await connector.start();
      const o2 = out(cli.json());
      o2.print(`listening on ${addr.address}:${addr.port} -> ${targetSpec} (as ${node.name}, peer id ${node.peerId})`, {
        event: 'listening',
        address: addr.address,
        port: addr.port,
        target: targetSpec,
        name: node.name,
        peerId: node.peerId,
      });
      connector.on('route', (route, was) =>
        o2.print(`route ${formatRoute(targetSpec, route, was)}`, {
          event: 'route',
          target: targetSpec,
          ...route,
          previous: was,
        }),
      );
      connector.on('setup', (phases) => o2.print(`setup ${formatSetup(targetSpec, phases)}`, { event: 'setup', target: targetSpec, phases }));
      connector.warmUp().catch(async (err: Error) => {
        if (err instanceof P2prcError && (err.code === 'key-changed' || err.code === 'tampered')) {
          // Like ssh on a changed host key: refuse outright rather than keep listening.
          process.stderr.write(`error [${err.code}]: ${err.message}\n`);
          await connector.stop();
          await node.stop();
          process.exit(3);
        }
        node.log.warn('no connection yet; will retry on the first TCP connection', { target: targetSpec, ...(err instanceof P2prcError ? { code: err.code } : {}), reason: err.message });
      });
      onShutdown(() => connector.stop());
      untilSignal();
    });
}

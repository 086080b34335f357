/**
 * `p2prc peers`: the peers online at a signal server, from a one-shot
 * registration that pages through `list` (bounded pages; see signal-client
 * listAll); records the server and its latency in reverse_proxy_server.json.
 */
import type { Command } from 'commander';
import { recordServer } from '../../mapping/servers.js';
import { resolveDataDir } from '../../util/paths.js';
import { formatPeers } from '../format.js';
import { dataDirOption, secretOption, serverCertOption, serverOption } from '../options.js';
import { oneShotClient } from '../one-shot.js';
import { out, type CliContext } from '../runtime.js';

/**
 * How long to wait for the first ping's pong, whose round trip is recorded as the server's latency.
 * It usually arrives within milliseconds; this only bounds a server that never answers (then no latency is recorded).
 */
const LATENCY_WAIT_MS = 2000;

export function addPeersCommand(program: Command, cli: CliContext): void {
  program
    .command('peers')
    .description('list the peers online at a signal server')
    .addOption(serverOption())
    .addOption(secretOption())
    .addOption(serverCertOption())
    .addOption(dataDirOption('where the server and its latency are recorded (reverse_proxy_server.json)'))
    .action(async (o: { server: string; secret?: string; serverCert?: string; dataDir?: string }) => {
      const client = oneShotClient('list', o);
      const latency = new Promise<number>((resolve) => client.once('latency', resolve));
      await client.connect();
      let peers;
      try {
        peers = await client.listAll();
      } catch (err) {
        client.close();
        throw err;
      }
      // The timer is cleared so it cannot hold the process open.
      let timer: NodeJS.Timeout | undefined;
      const ms = await Promise.race([latency, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), LATENCY_WAIT_MS)))]);
      clearTimeout(timer);
      client.close();
      if (ms !== undefined) recordServer(resolveDataDir(o.dataDir), { Server_name: new URL(o.server).host, Address: o.server, Latency: Math.round(ms * 10) / 10 });
      if (cli.json()) out(true).print('', { event: 'peers', peers });
      else process.stdout.write(formatPeers(peers) + '\n');
    });
}

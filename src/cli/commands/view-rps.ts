/** `p2prc view-rps` (seed: --view-rps): the known signal servers, reverse_proxy_server.json, as a table or as the file. */
import type { Command } from 'commander';
import { join } from 'node:path';
import { readServersFile } from '../../mapping/servers.js';
import { FILES, resolveDataDir } from '../../util/paths.js';
import { formatServers } from '../format.js';
import { dataDirOption } from '../options.js';
import type { CliContext } from '../runtime.js';

export function addViewRpsCommand(program: Command, cli: CliContext): void {
  const viewRps = (o: { dataDir?: string }): void => {
    const file = readServersFile(join(resolveDataDir(o.dataDir), FILES.servers));
    if (cli.json()) process.stdout.write(JSON.stringify(file, null, 2) + '\n');
    else process.stdout.write(formatServers(file.reverse_proxy_servers) + '\n');
  };
  program.command('view-rps').alias('view-reverse-proxy-servers').description('print known servers (reverse_proxy_server.json)').addOption(dataDirOption('data dir')).action(viewRps);
}

/** `p2prc view-rpm` (seed: --view-rpm): the mapping log, reverse_proxy_mapping.json, as a table or as the file. */
import type { Command } from 'commander';
import { join } from 'node:path';
import { readMappingFile } from '../../mapping/log.js';
import { FILES, resolveDataDir } from '../../util/paths.js';
import { formatMappings } from '../format.js';
import { dataDirOption } from '../options.js';
import type { CliContext } from '../runtime.js';

export function addViewRpmCommand(program: Command, cli: CliContext): void {
  const viewRpm = (o: { dataDir?: string }): void => {
    const file = readMappingFile(join(resolveDataDir(o.dataDir), FILES.mapping));
    if (cli.json()) process.stdout.write(JSON.stringify(file, null, 2) + '\n');
    else process.stdout.write(formatMappings(file.reverse_proxy_mappings) + '\n');
  };
  program.command('view-rpm').alias('view-reverse-proxy-mapping').description('print the mapping log (reverse_proxy_mapping.json)').addOption(dataDirOption('data dir')).action(viewRpm);
}

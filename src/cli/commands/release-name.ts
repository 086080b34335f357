/**
 * `p2prc release-name NAME --data-dir D`: the operator frees a name the signal
 * server keeps bound to a key (names.json in the server's data dir), so another
 * key may register it. Works while the server runs: it re-reads the file when it
 * changes and drops its binding too.
 */
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { join } from 'node:path';
import { NAMES_FILE, releaseNameInFile } from '../../../signal-server/names.js';
import { resolveDataDir } from '../../util/paths.js';
import { ErrorCode, P2prcError } from '../../protocol/errors.js';
import { dataDirOption } from '../options.js';
import { out, type CliContext } from '../runtime.js';

export function addReleaseNameCommand(program: Command, cli: CliContext): void {
  program
    .command('release-name')
    .description("free a name the signal server keeps bound to its first key (names.json in the server's data dir); works while the server runs")
    .argument('<name>', 'the peer name to release')
    .addOption(dataDirOption("the signal server's data dir (default $P2PRC_HOME or ~/.p2prc)"))
    .action((name: string, o: { dataDir?: string }) => {
      const dir = resolveDataDir(o.dataDir);
      let released;
      try {
        released = releaseNameInFile(dir, name);
      } catch (err) {
        if (err instanceof ZodError) throw new P2prcError(ErrorCode.BadFile, `${join(dir, NAMES_FILE)} is not a names file: ${err.issues[0]?.message ?? err.message}`);
        throw err;
      }
      out(cli.json()).print(
        released ? `released "${name}" (was bound to peer ${released.peerId}, last online ${new Date(released.lastSeen).toISOString()})` : `"${name}" was not bound; recorded as released anyway (a running server drops any binding it holds in memory)`,
        { event: 'released', name, ...(released ? { peerId: released.peerId, lastSeen: new Date(released.lastSeen).toISOString() } : { bound: false }) },
      );
    });
}

/**
 * `p2prc bench [flags...]`: runs the benchmark (bench/, `npm run bench`) in a
 * child process with this node, the flags passed through as they are (the
 * global --json too). The bench ships with the source checkout, not with the
 * npm package: without dist/bench/bench.js beside this CLI it says so.
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ErrorCode, P2prcError } from '../../protocol/errors.js';
import type { CliContext } from '../runtime.js';

/** dist/bench/bench.js of the checkout this CLI was built in (this file is dist/src/cli/commands/bench.js). */
export const BENCH_ENTRY = fileURLToPath(new URL('../../../bench/bench.js', import.meta.url));

/** Runs the bench; resolves with its exit code (128 + n when a signal n ended it). */
export function runBench(entry: string, flags: string[]): Promise<number> {
  if (!existsSync(entry)) {
    throw new P2prcError(ErrorCode.NotInstalled, `the bench ships with the source checkout; run npm run bench there (no ${entry})`);
  }
  const child = spawn(process.execPath, [entry, ...flags], { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches the bench itself (same process group); a signal sent to
  // this process alone is passed on, so that the bench still stops its children.
  const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of sigs) process.off(s, forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

export function addBenchCommand(program: Command, cli: CliContext): void {
  program
    .command('bench')
    .description('run the benchmark of a source checkout (loopback paths, our relay vs coturn, results files and chart); flags go to the bench: p2prc bench --help')
    .argument('[flags...]', 'bench flags, e.g. --quick, --out DIR, --mib N (see p2prc bench --help)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (flags: string[]) => {
      // --json is a global option, so the program has taken it: hand it on.
      const args = cli.json() && !flags.includes('--json') ? [...flags, '--json'] : flags;
      process.exitCode = await runBench(BENCH_ENTRY, args);
    });
}

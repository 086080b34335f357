/**
 * p2prc command line: a thin shell over the library. Human output on stdout,
 * logs on stderr, `--json` for machine-readable output (one JSON object per line).
 * This file only assembles the program (global options, root help, seed-flag
 * aliases, exit codes); each command lives in its own file under commands/, as
 * frp's cmd/frpc/sub/ does, and the options they share in options.ts.
 */
import { Command } from 'commander';
import { setLogLevel, type LogLevel } from '../util/log.js';
import { P2prcError } from '../protocol/errors.js';
import { rewriteSeedFlags } from './seed-flags.js';
import { jsonOption, logLevelOption } from './options.js';
import type { CliContext } from './runtime.js';
import { addServerCommand, DEFAULT_SERVER_PORT } from './commands/server.js';
import { addExposeCommand } from './commands/expose.js';
import { addConnectCommand } from './commands/connect.js';
import { addPeersCommand } from './commands/peers.js';
import { addNatCommand } from './commands/nat.js';
import { addViewRpmCommand } from './commands/view-rpm.js';
import { addViewRpsCommand } from './commands/view-rps.js';
import { addReleaseNameCommand } from './commands/release-name.js';
import { addBenchCommand } from './commands/bench.js';

export function buildProgram(): Command {
  const program = new Command('p2prc')
    .description('Escaping NAT for P2PRC: peer-to-peer TCP tunnels over WebRTC data channels, brokered by a signal server')
    .addOption(jsonOption())
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `
Seed flags (P2PRC "escaping NAT" draft), kept as aliases:
  p2prc -s --reverse-proxy                      = p2prc server
  p2prc -s --connect-reverse-proxy <addr> SVC.. = p2prc expose --server ws://<addr> SVC..
  p2prc --view-rps | --view-reverse-proxy-servers  = p2prc view-rps
  p2prc --view-rpm | --view-reverse-proxy-mapping  = p2prc view-rpm

Examples:
  p2prc server --host 0.0.0.0 --port ${DEFAULT_SERVER_PORT}
  p2prc expose web=8080 --name alice --server ws://signal.example:${DEFAULT_SERVER_PORT}
  p2prc connect alice/web --listen 9000 --server ws://signal.example:${DEFAULT_SERVER_PORT}`,
    );
  program.hook('preAction', (cmd) => setLogLevel(cmd.opts().logLevel as LogLevel));
  const cli: CliContext = { json: () => Boolean(program.opts().json) };
  addServerCommand(program, cli);
  addExposeCommand(program, cli);
  addConnectCommand(program, cli);
  addPeersCommand(program, cli);
  addNatCommand(program, cli);
  addViewRpmCommand(program, cli);
  addViewRpsCommand(program, cli);
  addReleaseNameCommand(program, cli);
  addBenchCommand(program, cli);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride((err) => {
    process.exit(err.exitCode);
  });
  try {
    await program.parseAsync(rewriteSeedFlags(argv.slice(2)), { from: 'user' });
  } catch (err) {
    const code = err instanceof P2prcError ? ` [${err.code}]` : '';
    process.stderr.write(`error${code}: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

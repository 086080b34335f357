/**
 * The options several p2prc commands share, written once (as frp's
 * `cmd/frpc/sub/root.go` does): the global --json and --log-level, and the
 * signal server, secret, data dir and ICE options of the peer commands. The
 * P2PRC_SECRET fallback lives here and nowhere else.
 */
import { Option, type Command } from 'commander';
import { numericOption, parseCount } from './numbers.js';
import { STRANGER_SESSIONS_PER_MINUTE } from '../peer/stranger-budget.js';

/** Global: one JSON object per line on stdout instead of human text. */
export const jsonOption = (): Option => new Option('--json', 'machine-readable output, one JSON object per line').default(false);

/** Global: log verbosity on stderr; P2PRC_LOG_LEVEL sets the default. */
export const logLevelOption = (): Option =>
  new Option('--log-level <level>', 'log verbosity on stderr').choices(['debug', 'info', 'warn', 'error']).default(process.env.P2PRC_LOG_LEVEL ?? 'info');

/** --server: the signal server's URL; mandatory unless a command can do without (`p2prc nat --stun`). */
export function serverOption(description = 'signal server URL, ws://host:port', mandatory = true): Option {
  return new Option('--server <url>', description).makeOptionMandatory(mandatory);
}

/** --secret: what the signal server requires; see secretOf for the environment fallback. */
export const secretOption = (description = 'secret the signal server requires (or P2PRC_SECRET)'): Option => new Option('--secret <secret>', description);

/** The secret to use: --secret, else $P2PRC_SECRET, else none. */
export function secretOf(o: { secret?: string }): string | undefined {
  return o.secret ?? process.env.P2PRC_SECRET;
}

/** --data-dir: its description says what the command keeps there. */
export const dataDirOption = (description: string): Option => new Option('--data-dir <dir>', description);

/** Adds the options of the commands that run a peer (expose, connect), in the order their help lists them after --name. */
export function addPeerOptions(cmd: Command): Command {
  return cmd
    .addOption(dataDirOption('identity, known peers and mapping log (default $P2PRC_HOME or ~/.p2prc)'))
    .addOption(secretOption())
    .addOption(new Option('--force-relay', 'only use relayed (TURN) paths').default(false))
    .addOption(new Option('--bind <address>', 'local address for ICE sockets (default: all)'))
    .addOption(new Option('--no-punch', 'no NAT check at start and no port prediction with symmetric NATs (ICE and the relay only)'))
    .addOption(numericOption('--max-new-sessions <n>', `sessions accepted per minute from peers not connected to us (default ${STRANGER_SESSIONS_PER_MINUTE})`, parseCount));
}

/** Commander's way to repeat an option: each value appended to the list. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/**
 * `p2prc nat`: this host's NAT (public address, RFC 5780 mapping and filtering,
 * hairpinning) against a STUN server, named directly or taken from a signal
 * server's registration, and whether the router offers UPnP or NAT-PMP. With
 * a signal server, also whether UDP works at all and which of its relays
 * (over UDP, TCP, TLS) allocate for us.
 */
import type { Command } from 'commander';
import { lookup } from 'node:dns/promises';
import { detectNat } from '../../nat/detect.js';
import { probePortMapping } from '../../portmap/mapper.js';
import { parseIceUrl } from '../../peer/ice.js';
import { formatNatReport, formatRelayReach } from '../format.js';
import { probeRelays } from '../../relay-bridge/relay-path.js';
import { createLogger } from '../../util/log.js';
import type { IceServerConfig } from '../../protocol/messages.js';
import { secretOption, serverCertOption, serverOption } from '../options.js';
import { oneShotClient } from '../one-shot.js';
import type { CliContext } from '../runtime.js';
import { ErrorCode, P2prcError } from '../../protocol/errors.js';

export function addNatCommand(program: Command, cli: CliContext): void {
  program
    .command('nat')
    .description('detect this host\'s NAT: public address, mapping and filtering behaviour (RFC 5780), hairpinning, and what they mean')
    .addOption(serverOption('signal server URL, ws://host:port (its STUN address is used)', false))
    .option('--stun <host:port>', 'STUN server to use directly (needs an alternate address for behaviour discovery)')
    .addOption(secretOption())
    .addOption(serverCertOption())
    .option('--bind <address>', 'local address to test from')
    .option('--no-portmap', 'do not look for UPnP/NAT-PMP on the router (no SSDP multicast, nothing sent to the gateway)')
    .action(async (o: { server?: string; stun?: string; secret?: string; serverCert?: string; bind?: string; portmap: boolean }) => {
      let stun = o.stun;
      let iceServers: IceServerConfig[] = [];
      if (!stun) {
        if (!o.server) throw new P2prcError(ErrorCode.BadArgument, 'give --server ws://host:port or --stun host:port');
        const client = oneShotClient('nat', { server: o.server, secret: o.secret, serverCert: o.serverCert });
        const reg = await client.connect();
        client.close();
        iceServers = reg.iceServers;
        const url = reg.iceServers.flatMap((x) => (Array.isArray(x.urls) ? x.urls : [x.urls])).find((u) => u.startsWith('stun:'));
        if (!url) throw new P2prcError(ErrorCode.StunUnreachable, `${o.server} offers no STUN server (started with --no-relay?)`);
        const ice = parseIceUrl(url);
        stun = `${ice.hostname}:${ice.port}`;
      }
      const m = /^(.+):(\d+)$/.exec(stun);
      if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad --stun "${stun}": expected host:port`);
      const address = (await lookup(m[1]!, { family: 4 })).address;
      // With a signal server: its relays too, each over its transport (UDP, and TCP/TLS through a bridge), with our credentials.
      const [report, portMapping, relays] = await Promise.all([
        detectNat({ address, port: Number(m[2]) }, o.bind ? { bind: o.bind } : {}).catch((err: unknown) => {
          // No STUN answer: UDP is blocked (or the server is down); the relays over TCP/TLS say which.
          if (err instanceof P2prcError && err.code === ErrorCode.StunUnreachable) return err;
          throw err;
        }),
        o.portmap ? probePortMapping() : Promise.resolve(undefined),
        probeRelays(iceServers, createLogger('nat', () => undefined)),
      ]);
      const udp = !(report instanceof P2prcError);
      if (cli.json()) {
        process.stdout.write(JSON.stringify({ event: 'nat', udp, ...(udp ? report : { error: report.message }), portMapping, relays }) + '\n');
        return;
      }
      process.stdout.write((udp ? formatNatReport(report, portMapping) : `UDP              ${report.message}`) + (relays.length ? `\n\n${formatRelayReach(relays)}` : '') + '\n');
    });
}

/**
 * `p2prc nat`: this host's NAT (public address, RFC 5780 mapping and filtering,
 * hairpinning) against a STUN server, named directly or taken from a signal
 * server's registration, and whether the router offers UPnP or NAT-PMP.
 */
import type { Command } from 'commander';
import { lookup } from 'node:dns/promises';
import { detectNat } from '../../nat/detect.js';
import { probePortMapping } from '../../portmap/mapper.js';
import { parseIceUrl } from '../../peer/ice.js';
import { formatNatReport } from '../format.js';
import { secretOption, serverOption } from '../options.js';
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
    .option('--bind <address>', 'local address to test from')
    .option('--no-portmap', 'do not look for UPnP/NAT-PMP on the router (no SSDP multicast, nothing sent to the gateway)')
    .action(async (o: { server?: string; stun?: string; secret?: string; bind?: string; portmap: boolean }) => {
      let stun = o.stun;
      if (!stun) {
        if (!o.server) throw new P2prcError(ErrorCode.BadArgument, 'give --server ws://host:port or --stun host:port');
        const client = oneShotClient('nat', { server: o.server, secret: o.secret });
        const reg = await client.connect();
        client.close();
        const url = reg.iceServers.flatMap((x) => (Array.isArray(x.urls) ? x.urls : [x.urls])).find((u) => u.startsWith('stun:'));
        if (!url) throw new P2prcError(ErrorCode.StunUnreachable, `${o.server} offers no STUN server (started with --no-relay?)`);
        const ice = parseIceUrl(url);
        stun = `${ice.hostname}:${ice.port}`;
      }
      const m = /^(.+):(\d+)$/.exec(stun);
      if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad --stun "${stun}": expected host:port`);
      const address = (await lookup(m[1]!, { family: 4 })).address;
      const [report, portMapping] = await Promise.all([detectNat({ address, port: Number(m[2]) }, o.bind ? { bind: o.bind } : {}), o.portmap ? probePortMapping() : Promise.resolve(undefined)]);
      if (cli.json()) {
        process.stdout.write(JSON.stringify({ event: 'nat', ...report, portMapping }) + '\n');
        return;
      }
      process.stdout.write(formatNatReport(report, portMapping) + '\n');
    });
}

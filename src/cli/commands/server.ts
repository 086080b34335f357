/**
 * `p2prc server`: the signal server (WebSocket signalling, /healthz) and, unless
 * --no-relay, its STUN/TURN relay on UDP, until a signal.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { DEFAULT_ALLOW_PORTS, DEFAULT_MAX_PORTS_PER_PEER, describeRanges, parseAllowPorts, type PortRange } from '../../../signal-server/reverse-proxy/port-allocator.js';
import { proxyUrl } from '../seed-flags.js';
import { DEFAULT_PUBLIC_GRACE_MS, PROXY_SCTP_TUNING } from '../../../signal-server/reverse-proxy/proxy.js';
import { DEFAULT_LIMITS } from '../../../signal-server/limits.js';
import { MAX_NAME_BINDINGS, NAME_IDLE_RELEASE_MS } from '../../../signal-server/names.js';
import { SignalServer } from '../../../signal-server/server.js';
import { loadOrMakeSelfSigned } from '../../../signal-server/turn/self-signed.js';
import { parseIceUrl } from '../../peer/ice.js';
import { FILES, resolveDataDir } from '../../util/paths.js';
import { collect, dataDirOption, secretOf, secretOption, sctpBufferOption, sctpCcOption, sctpCwndOption, sctpMaxBurstOption, sctpMaxChunksOption, sctpMinRtoOption, sctpSackOption, sctpTuningOf, type SctpFlags } from '../options.js';
import { numericOption, parseCount, parsePort, parsePortRange } from '../numbers.js';
import { defaultName, installSignals, onShutdown, out, untilSignal, type CliContext } from '../runtime.js';
import { ErrorCode, P2prcError } from '../../protocol/errors.js';

/** The signalling port when --port is not given; the root help's examples use it too. */
export const DEFAULT_SERVER_PORT = 8088;

export function addServerCommand(program: Command, cli: CliContext): void {
  program
    .command('server')
    .description('run the signal server: WebSocket signalling (GET /healthz) and a STUN/TURN relay on UDP')
    .option('--host <host>', 'address to listen on (signalling and STUN/TURN)', '0.0.0.0')
    .addOption(numericOption('--port <port>', 'signalling (WebSocket/HTTP) port', parsePort, String(DEFAULT_SERVER_PORT)))
    .addOption(dataDirOption('where the server keeps its mapping log'))
    .option('--name <name>', 'server name in logs and mapping rows')
    .addOption(secretOption('peers must present this secret to register; it also signs relay credentials, as coturn use-auth-secret (or P2PRC_SECRET)'))
    .addOption(numericOption('--stun-port <port>', 'STUN/TURN UDP port', parsePort, '3478'))
    .addOption(numericOption('--relay-ports <min-max>', 'UDP port range for relay allocations', parsePortRange, '49152-65535'))
    .option('--public-ip <ip>', 'relay address to advertise (hosts behind 1:1 NAT, e.g. cloud VMs)')
    .option('--realm <realm>', 'TURN realm', 'p2prc')
    .option('--alt-ip <ip>', 'second IP of this host: enables RFC 5780 NAT behaviour discovery (p2prc nat); needs a specific --host')
    .addOption(numericOption('--alt-port <port>', 'alternate STUN port for behaviour discovery (default: --stun-port + 1)', parsePort))
    .option('--no-relay', 'do not run our STUN/TURN relay (use --ice-server instead)')
    .addOption(numericOption('--turn-tcp-port <port>', 'TURN over TCP, for peers whose UDP is blocked (default: the --stun-port number, as coturn)', parsePort))
    .option('--no-turn-tcp', 'no TURN over TCP')
    .addOption(numericOption('--turn-tls-port <port>', 'also TURN over TLS on this port (e.g. 443 or 5349), with --tls-cert/--tls-key or a self-signed certificate kept in the data dir whose fingerprint peers are told', parsePort))
    .option('--allow-private-peers', 'allow relaying to loopback/private/link-local peers (tests, LANs)', false)
    .addOption(numericOption('--max-allocations <n>', 'relay allocations on the whole server (486 beyond)', parseCount, '1000'))
    .addOption(numericOption('--max-allocations-per-user <n>', 'relay allocations per peer (486 beyond)', parseCount, '10'))
    .addOption(numericOption('--max-allocations-per-ip <n>', 'relay allocations per client IP address, 0 for no limit (486 beyond; default: half of --max-allocations, at most 100)', parseCount))
    .addOption(numericOption('--relay-bandwidth <bytes/s>', 'cap each allocation at this many bytes/s each way', parseCount))
    .option('--tls-cert <file>', 'serve signalling over TLS (wss://), and TURN over TLS with --turn-tls-port: PEM certificate chain (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .addOption(numericOption('--max-conns-per-ip <n>', 'WebSocket connections per client IP, 0 for no limit (429 beyond)', parseCount, String(DEFAULT_LIMITS.maxConnsPerIp)))
    .addOption(numericOption('--max-registrations-per-ip <n>', 'registrations per client IP per minute, 0 for no limit (rate-limited beyond)', parseCount, String(DEFAULT_LIMITS.registrationsPerIpPerMin)))
    .addOption(numericOption('--register-timeout <ms>', 'close a connection that has not registered within this time', parseCount, String(DEFAULT_LIMITS.registerDeadlineMs)))
    .addOption(numericOption('--name-idle-days <n>', 'a name stays bound to its first key until its holder has been offline this many days (or p2prc release-name)', parseCount, String(NAME_IDLE_RELEASE_MS / 86_400_000)))
    .addOption(numericOption('--max-name-bindings <n>', 'names kept bound at most; beyond, the longest idle is released', parseCount, String(MAX_NAME_BINDINGS)))
    .option('--reverse-proxy', 'also give peers public ports for their services (frp-style): plain clients reach a service behind NAT at this host; needs --secret, or one is made and kept in the data dir', false)
    .addOption(numericOption('--allow-ports <ranges>', `public ports the reverse proxy may give, e.g. 20000-29999,30080 (default ${describeRanges(DEFAULT_ALLOW_PORTS)})`, parseAllowPorts))
    .addOption(numericOption('--max-ports-per-peer <n>', 'public ports one peer may hold', parseCount, String(DEFAULT_MAX_PORTS_PER_PEER)))
    .addOption(numericOption('--public-grace <s>', 'seconds a departed peer\'s public ports are kept (refusing clients) for it to come back', parseCount, String(DEFAULT_PUBLIC_GRACE_MS / 1000)))
    .addOption(sctpBufferOption(`with --reverse-proxy: SCTP receive and send buffer of the proxy's peer connections, KiB (default ${PROXY_SCTP_TUNING.recvBufferSize! / 1024}: safe on rate-capped links)`))
    .addOption(sctpCcOption())
    .addOption(sctpSackOption())
    .addOption(sctpCwndOption())
    .addOption(sctpMaxBurstOption())
    .addOption(sctpMaxChunksOption())
    .addOption(sctpMinRtoOption())
    .option('--peer-proxy <url>', 'with --reverse-proxy: another proxy (ws://host:port) to exchange proxy lists with (repeatable); peers read them at GET /proxies', collect, [])
    .option('--ice-server <url>', 'external STUN/TURN server handed to peers (repeatable), e.g. turn:turn.example:3478; TURN ones get credentials from --secret', collect, [])
    .action(async (o: ServerOpts) => {
      for (const u of o.iceServer) parseIceUrl(u); // validate early
      const { min, max } = o.relayPorts;
      if (o.altIp && (o.host === '0.0.0.0' || o.host === '::')) throw new P2prcError(ErrorCode.BadArgument, '--alt-ip needs --host set to this host\'s primary IP (two distinct addresses are compared)');
      if (sctpTuningOf(o) && !o.reverseProxy) throw new P2prcError(ErrorCode.BadArgument, '--sctp-* tune the reverse proxy\'s peer connections: they go with --reverse-proxy');
      if (o.peerProxy.length && !o.reverseProxy) throw new P2prcError(ErrorCode.BadArgument, '--peer-proxy goes with --reverse-proxy');
      if (!o.tlsCert !== !o.tlsKey) throw new P2prcError(ErrorCode.BadArgument, '--tls-cert and --tls-key go together');
      const dataDir = resolveDataDir(o.dataDir);
      let secret = secretOf(o);
      let madeSecret: string | undefined;
      if (o.reverseProxy && !secret) {
        // Public ports for anyone who asks would make this host an open proxy: a secret always guards them.
        const path = join(dataDir, 'proxy_secret');
        secret = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
        if (!secret) {
          secret = randomBytes(18).toString('base64url');
          writeFileAtomic(path, secret + '\n', 0o600);
        }
        madeSecret = path;
      }
      const scheme = o.tlsCert ? 'wss' : 'ws';
      if (o.turnTlsPort !== undefined && !o.relay) throw new P2prcError(ErrorCode.BadArgument, '--turn-tls-port is our relay\'s: it does not go with --no-relay');
      const turnTls =
        o.turnTlsPort === undefined
          ? undefined
          : o.tlsCert && o.tlsKey
            ? { cert: readFileSync(o.tlsCert, 'utf8'), key: readFileSync(o.tlsKey, 'utf8'), selfSigned: false }
            : await loadOrMakeSelfSigned(dataDir, o.name ?? `p2prc-relay@${defaultName()}`, [o.publicIp, o.host].filter((ip): ip is string => !!ip && ip !== '0.0.0.0'));
      const server = new SignalServer({
        host: o.host,
        port: o.port,
        dataDir,
        iceServers: o.iceServer,
        secret: secret || undefined,
        name: o.name ?? `p2prc-signal@${defaultName()}`,
        nameIdleMs: o.nameIdleDays * 86_400_000,
        maxNameBindings: o.maxNameBindings,
        tls: o.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey) } : undefined,
        ...(o.reverseProxy
          ? { reverseProxy: { allowPorts: o.allowPorts, maxPortsPerPeer: o.maxPortsPerPeer, graceMs: o.publicGrace * 1000, publicIp: o.publicIp || undefined, peerProxies: o.peerProxy.map(proxyUrl), sctp: sctpTuningOf(o, PROXY_SCTP_TUNING) } }
          : {}),
        limits: {
          maxConnsPerIp: o.maxConnsPerIp,
          registrationsPerIpPerMin: o.maxRegistrationsPerIp,
          registerDeadlineMs: o.registerTimeout,
          handshakeTimeoutMs: o.registerTimeout,
        },
        ...(o.relay
          ? {
              turn: {
                host: o.host,
                port: o.stunPort,
                relayPorts: { min, max },
                publicIp: o.publicIp || undefined,
                altAddress: o.altIp || undefined,
                altPort: o.altIp ? o.altPort : undefined,
                realm: o.realm,
                quotas: { total: o.maxAllocations, perUser: o.maxAllocationsPerUser, perIp: o.maxAllocationsPerIp },
                bandwidth: o.relayBandwidth,
                allowPrivatePeers: o.allowPrivatePeers,
                tcpPort: o.turnTcp ? o.turnTcpPort : false,
                ...(turnTls && o.turnTlsPort !== undefined ? { tls: { port: o.turnTlsPort, ...turnTls } } : {}),
              },
            }
          : {}),
      });
      installSignals();
      onShutdown(() => server.close());
      const addr = await server.listen();
      const relay = server.relay;
      out(cli.json()).print(
        `signal server listening on ${scheme}://${addr.address}:${addr.port} (health: ${scheme === 'wss' ? 'https' : 'http'}://${addr.address}:${addr.port}/healthz)` +
          (relay ? `\nSTUN/TURN relay on ${o.host}:${relay.port}/udp${streamsText(relay.streamEndpoints)}, advertised as ${relay.advertisedAddress}, relay ports ${min}-${max}` : '') +
          (server.reverseProxy ? `\nreverse proxy: public ports ${server.reverseProxy.describeAllowed} on ${o.host}, at most ${o.maxPortsPerPeer} per peer` : '') +
          (madeSecret ? `\nsecret (no --secret given; kept in ${madeSecret}): peers use --secret ${secret} or P2PRC_SECRET` : ''),
        {
          event: 'listening',
          address: addr.address,
          port: addr.port,
          url: `${scheme}://${addr.address}:${addr.port}`,
          ...(relay ? { stunPort: relay.port, relayAddress: relay.advertisedAddress, relayPorts: [min, max], ...relay.streamEndpoints } : {}),
          mappingLog: join(dataDir, FILES.mapping),
          ...(server.reverseProxy ? { reverseProxy: { allowPorts: server.reverseProxy.describeAllowed, maxPortsPerPeer: o.maxPortsPerPeer, proxyPeerId: server.reverseProxy.peerId } } : {}),
          ...(madeSecret ? { secretFile: madeSecret, secret } : {}),
        },
      );
      untilSignal();
    });
}

/** ", TCP 3478, TLS 5349 (self-signed, SHA-256 AB:...)" for the listening line. */
function streamsText(e: { tcpPort?: number; tlsPort?: number; certFingerprint?: string }): string {
  const parts = [
    ...(e.tcpPort !== undefined ? [`${e.tcpPort}/tcp`] : []),
    ...(e.tlsPort !== undefined ? [`${e.tlsPort}/tls${e.certFingerprint ? ` (self-signed, SHA-256 ${e.certFingerprint})` : ''}`] : []),
  ];
  return parts.length ? `, ${parts.join(', ')}` : '';
}

interface ServerOpts extends SctpFlags {
  host: string;
  port: number;
  dataDir?: string;
  name?: string;
  secret?: string;
  stunPort: number;
  relayPorts: { min: number; max: number };
  publicIp?: string;
  altIp?: string;
  altPort?: number;
  realm: string;
  relay: boolean;
  turnTcp: boolean;
  turnTcpPort?: number;
  turnTlsPort?: number;
  allowPrivatePeers: boolean;
  maxAllocations: number;
  maxAllocationsPerUser: number;
  maxAllocationsPerIp?: number;
  relayBandwidth?: number;
  iceServer: string[];
  tlsCert?: string;
  tlsKey?: string;
  maxConnsPerIp: number;
  maxRegistrationsPerIp: number;
  registerTimeout: number;
  nameIdleDays: number;
  maxNameBindings: number;
  reverseProxy: boolean;
  allowPorts?: PortRange[];
  maxPortsPerPeer: number;
  publicGrace: number;
  peerProxy: string[];
}

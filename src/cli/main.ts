/**
 * p2prc command line: a thin shell over the library. Human output on stdout,
 * logs on stderr, `--json` for machine-readable output (one JSON object per line).
 */
import { Command } from 'commander';
import { lookup } from 'node:dns/promises';
import { detectNat } from '../nat/detect.js';
import { probePortMapping } from '../portmap/mapper.js';
import { join } from 'node:path';
import { SignalServer } from '../../signal-server/server.js';
import { PeerNode } from '../peer/node.js';
import { Identity } from '../identity/keys.js';
import { parseIceUrl } from '../peer/ice.js';
import { Exposer, parseServiceSpec, type ServiceTarget } from '../tunnel/expose.js';
import { Connector, parseListen, parseTarget } from '../tunnel/connect.js';
import { readMappingFile } from '../mapping/log.js';
import { readServersFile, recordServer } from '../mapping/servers.js';
import { FILES, resolveDataDir } from '../util/paths.js';
import { lockDataDir } from '../util/lock.js';
import { setLogLevel, type LogLevel } from '../util/log.js';
import { P2prcError } from '../protocol/errors.js';
import { formatMappings, formatNatReport, formatPeers, formatRoute, formatServers } from './format.js';
import { rewriteSeedFlags } from './seed-flags.js';
import { addPeerOptions, collect, dataDirOption, jsonOption, logLevelOption, secretOf, secretOption, serverOption } from './options.js';
import { oneShotClient } from './one-shot.js';
import { defaultName, installSignals, onShutdown, out, untilSignal } from './runtime.js';

const DEFAULT_SERVER_PORT = 8088;

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
  const json = (): boolean => Boolean(program.opts().json);

  program
    .command('server')
    .description('run the signal server: WebSocket signalling (GET /healthz) and a STUN/TURN relay on UDP')
    .option('--host <host>', 'address to listen on (signalling and STUN/TURN)', '0.0.0.0')
    .option('--port <port>', 'signalling (WebSocket/HTTP) port', String(DEFAULT_SERVER_PORT))
    .addOption(dataDirOption('where the server keeps its mapping log'))
    .option('--name <name>', 'server name in logs and mapping rows')
    .addOption(secretOption('peers must present this secret to register; it also signs relay credentials, as coturn use-auth-secret (or P2PRC_SECRET)'))
    .option('--stun-port <port>', 'STUN/TURN UDP port', '3478')
    .option('--relay-ports <min-max>', 'UDP port range for relay allocations', '49152-65535')
    .option('--public-ip <ip>', 'relay address to advertise (hosts behind 1:1 NAT, e.g. cloud VMs)')
    .option('--realm <realm>', 'TURN realm', 'p2prc')
    .option('--alt-ip <ip>', 'second IP of this host: enables RFC 5780 NAT behaviour discovery (p2prc nat); needs a specific --host')
    .option('--alt-port <port>', 'alternate STUN port for behaviour discovery (default: --stun-port + 1)')
    .option('--no-relay', 'do not run our STUN/TURN relay (use --ice-server instead)')
    .option('--allow-private-peers', 'allow relaying to loopback/private/link-local peers (tests, LANs)', false)
    .option('--max-allocations <n>', 'relay allocations on the whole server (486 beyond)', '1000')
    .option('--max-allocations-per-user <n>', 'relay allocations per peer (486 beyond)', '10')
    .option('--relay-bandwidth <bytes/s>', 'cap each allocation at this many bytes/s each way')
    .option('--ice-server <url>', 'external STUN/TURN server handed to peers (repeatable), e.g. turn:turn.example:3478; TURN ones get credentials from --secret', collect, [])
    .action(async (o: ServerOpts) => {
      for (const u of o.iceServer) parseIceUrl(u); // validate early
      const [min, max] = o.relayPorts.split('-').map(Number);
      if (o.altIp && (o.host === '0.0.0.0' || o.host === '::')) throw new Error('--alt-ip needs --host set to this host\'s primary IP (two distinct addresses are compared)');
      if (!min || !max) throw new Error(`bad --relay-ports "${o.relayPorts}": expected MIN-MAX`);
      const dataDir = resolveDataDir(o.dataDir);
      const secret = secretOf(o);
      const server = new SignalServer({
        host: o.host,
        port: Number(o.port),
        dataDir,
        iceServers: o.iceServer,
        ...(secret ? { secret } : {}),
        name: o.name ?? `p2prc-signal@${defaultName()}`,
        ...(o.relay
          ? {
              turn: {
                host: o.host,
                port: Number(o.stunPort),
                relayPorts: { min, max },
                ...(o.publicIp ? { publicIp: o.publicIp } : {}),
                ...(o.altIp ? { altAddress: o.altIp, ...(o.altPort ? { altPort: Number(o.altPort) } : {}) } : {}),
                realm: o.realm,
                quotas: { total: Number(o.maxAllocations), perUser: Number(o.maxAllocationsPerUser) },
                ...(o.relayBandwidth ? { bandwidth: Number(o.relayBandwidth) } : {}),
                allowPrivatePeers: o.allowPrivatePeers,
              },
            }
          : {}),
      });
      installSignals();
      onShutdown(() => server.close());
      const addr = await server.listen();
      const relay = server.relay;
      out(json()).print(
        `signal server listening on ws://${addr.address}:${addr.port} (health: http://${addr.address}:${addr.port}/healthz)` +
          (relay ? `\nSTUN/TURN relay on ${o.host}:${relay.port}/udp, advertised as ${relay.advertisedAddress}, relay ports ${min}-${max}` : ''),
        {
          event: 'listening',
          address: addr.address,
          port: addr.port,
          ...(relay ? { stunPort: relay.port, relayAddress: relay.advertisedAddress, relayPorts: [min, max] } : {}),
          mappingLog: join(dataDir, FILES.mapping),
        },
      );
      untilSignal();
    });

  addPeerOptions(
    program
      .command('expose')
      .description('register with a signal server and serve local TCP services to peers')
      .argument('<services...>', 'services as name=port or name=host:port, e.g. web=8080 db=127.0.0.1:5432')
      .addOption(serverOption())
      .option('--name <name>', 'name to register under (default: host name)'),
  )
    .option('--upnp', 'map the ICE port on the router (UPnP IGD, else NAT-PMP) so peers can reach us directly', false)
    .option('--ice-port <port>', 'local UDP port for ICE with --upnp (default: random 40000-49999)')
    .action(async (specs: string[], o: PeerOpts) => {
      const services = new Map<string, ServiceTarget>(specs.map(parseServiceSpec));
      const node = await startNode(o, o.name ?? defaultName(), json());
      new Exposer(node, services);
      const o2 = out(json());
      for (const [name, t] of services) {
        o2.print(`exposing ${node.name}/${name} -> ${t.host}:${t.port}`, { event: 'exposing', peer: node.name, peerId: node.peerId, service: name, target: `${t.host}:${t.port}` });
      }
      o2.print(`registered as ${node.name} (peer id ${node.peerId}) at ${o.server}`, { event: 'registered', name: node.name, peerId: node.peerId, server: o.server });
      node.on('route', (peer, route, was) =>
        o2.print(`route ${formatRoute(`${peer.name} -> ${node.name}`, route, was)}`, {
          event: 'route',
          peer: peer.name,
          peerId: peer.peerId,
          ...route,
          ...(was ? { previous: was } : {}),
        }),
      );
      untilSignal();
    });

  addPeerOptions(
    program
      .command('connect')
      .description('open a local TCP listener that carries every connection to a service on a peer')
      .argument('<target>', 'peer/service, e.g. alice/web (peer may be a full peer id to pin its key)')
      .requiredOption('--listen <[host:]port>', 'local address to listen on (host defaults to 127.0.0.1)')
      .addOption(serverOption())
      .option('--name <name>', 'name to register under (default: host name + peer id prefix)'),
  )
    .action(async (targetSpec: string, o: PeerOpts & { listen: string }) => {
      const target = parseTarget(targetSpec);
      const listen = parseListen(o.listen);
      const node = await startNode(o, o.name, json());
      const connector = new Connector(node, target, listen);
      const addr = await connector.start();
      const o2 = out(json());
      o2.print(`listening on ${addr.address}:${addr.port} -> ${targetSpec} (as ${node.name}, peer id ${node.peerId})`, {
        event: 'listening',
        address: addr.address,
        port: addr.port,
        target: targetSpec,
        name: node.name,
        peerId: node.peerId,
      });
      connector.on('route', (route, was) =>
        o2.print(`route ${formatRoute(targetSpec, route, was)}`, {
          event: 'route',
          target: targetSpec,
          ...route,
          ...(was ? { previous: was } : {}),
        }),
      );
      connector.warmUp().catch(async (err: Error) => {
        if (err instanceof P2prcError && (err.code === 'key-changed' || err.code === 'tampered')) {
          // Like ssh on a changed host key: refuse outright rather than keep listening.
          process.stderr.write(`error [${err.code}]: ${err.message}\n`);
          await connector.stop();
          await node.stop();
          process.exit(3);
        }
        node.log.warn('no connection yet; will retry on the first TCP connection', { target: targetSpec, reason: err.message });
      });
      onShutdown(() => connector.stop());
      untilSignal();
    });

  program
    .command('peers')
    .description('list the peers online at a signal server')
    .addOption(serverOption())
    .addOption(secretOption())
    .addOption(dataDirOption('where the server and its latency are recorded (reverse_proxy_server.json)'))
    .action(async (o: { server: string; secret?: string; dataDir?: string }) => {
      const client = oneShotClient('list', o);
      const latency = new Promise<number>((resolve) => client.once('latency', resolve));
      const reg = await client.connect();
      // The first ping's pong usually arrives within milliseconds; the timer only bounds a
      // server that never answers, and is cleared so it cannot hold the process open.
      let timer: NodeJS.Timeout | undefined;
      const ms = await Promise.race([latency, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 2000)))]);
      clearTimeout(timer);
      client.close();
      if (ms !== undefined) recordServer(resolveDataDir(o.dataDir), { Server_name: new URL(o.server).host, Address: o.server, Latency: Math.round(ms * 10) / 10 });
      if (json()) out(true).print('', { event: 'peers', peers: reg.peers });
      else process.stdout.write(formatPeers(reg.peers) + '\n');
    });

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
        if (!o.server) throw new Error('give --server ws://host:port or --stun host:port');
        const client = oneShotClient('nat', { server: o.server, secret: o.secret });
        const reg = await client.connect();
        client.close();
        const url = reg.iceServers.flatMap((x) => (Array.isArray(x.urls) ? x.urls : [x.urls])).find((u) => u.startsWith('stun:'));
        if (!url) throw new Error(`${o.server} offers no STUN server (started with --no-relay?)`);
        const ice = parseIceUrl(url);
        stun = `${ice.hostname}:${ice.port}`;
      }
      const m = /^(.+):(\d+)$/.exec(stun);
      if (!m) throw new Error(`bad --stun "${stun}": expected host:port`);
      const address = (await lookup(m[1]!, { family: 4 })).address;
      const [report, portMapping] = await Promise.all([detectNat({ address, port: Number(m[2]) }, o.bind ? { bind: o.bind } : {}), o.portmap ? probePortMapping() : Promise.resolve(undefined)]);
      if (json()) {
        process.stdout.write(JSON.stringify({ event: 'nat', ...report, ...(portMapping ? { portMapping } : {}) }) + '\n');
        return;
      }
      process.stdout.write(formatNatReport(report, portMapping) + '\n');
    });

  const viewRpm = (o: { dataDir?: string }): void => {
    const file = readMappingFile(join(resolveDataDir(o.dataDir), FILES.mapping));
    if (json()) process.stdout.write(JSON.stringify(file, null, 2) + '\n');
    else process.stdout.write(formatMappings(file.reverse_proxy_mappings) + '\n');
  };
  const viewRps = (o: { dataDir?: string }): void => {
    const file = readServersFile(join(resolveDataDir(o.dataDir), FILES.servers));
    if (json()) process.stdout.write(JSON.stringify(file, null, 2) + '\n');
    else process.stdout.write(formatServers(file.reverse_proxy_servers) + '\n');
  };
  program.command('view-rpm').alias('view-reverse-proxy-mapping').description('print the mapping log (reverse_proxy_mapping.json)').addOption(dataDirOption('data dir')).action(viewRpm);
  program.command('view-rps').alias('view-reverse-proxy-servers').description('print known servers (reverse_proxy_server.json)').addOption(dataDirOption('data dir')).action(viewRps);
  return program;
}

interface ServerOpts {
  host: string;
  port: string;
  dataDir?: string;
  name?: string;
  secret?: string;
  stunPort: string;
  relayPorts: string;
  publicIp?: string;
  altIp?: string;
  altPort?: string;
  realm: string;
  relay: boolean;
  allowPrivatePeers: boolean;
  maxAllocations: string;
  maxAllocationsPerUser: string;
  relayBandwidth?: string;
  iceServer: string[];
}

interface PeerOpts {
  server: string;
  name?: string;
  dataDir?: string;
  secret?: string;
  forceRelay: boolean;
  bind?: string;
  upnp?: boolean;
  icePort?: string;
  /** commander's --no-punch. */
  punch?: boolean;
}

async function startNode(o: PeerOpts, name: string | undefined, asJson: boolean): Promise<PeerNode> {
  installSignals();
  const dataDir = resolveDataDir(o.dataDir);
  lockDataDir(dataDir);
  const secret = secretOf(o);
  const provisional = name ?? `${defaultName()}-${Identity.loadOrCreate(dataDir).peerId.slice(0, 6)}`;
  const node = new PeerNode({
    server: o.server,
    name: provisional,
    dataDir,
    ...(secret ? { secret } : {}),
    forceRelay: o.forceRelay,
    ...(o.bind ? { bindAddress: o.bind } : {}),
    ...(o.upnp ? { upnp: true, ...(o.icePort ? { icePort: Number(o.icePort) } : {}) } : {}),
    ...(o.punch === false ? { punch: false } : {}),
  });
  const o2 = out(asJson);
  node.on('nat', (r) =>
    o2.print(`nat ${r.publicAddress ? `${r.publicAddress.address}:${r.publicAddress.port}` : '?'}: ${r.behaviourDiscovery ? `${r.classic} (mapping ${r.mapping}, filtering ${r.filtering})` : 'behaviour unknown (the server has no --alt-ip: no port prediction)'}`, {
      event: 'nat',
      natted: r.natted,
      mapping: r.mapping,
      filtering: r.filtering,
      classic: r.classic,
      ...(r.publicAddress ? { publicAddress: r.publicAddress } : {}),
    }),
  );
  // Registered before start(): start() may map a router port that a signal must still undo.
  onShutdown(() => node.stop());
  await node.start();
  return node;
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

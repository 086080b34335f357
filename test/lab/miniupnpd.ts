/**
 * Services in the lab's routers: Debian's miniupnpd (UPnP IGD and NAT-PMP,
 * nftables backend) in a NAT router, with its lease file parsed, its nftables
 * table readable, and its forwarding breakable behind its back. The lab's
 * other services (echo servers, the signal server) are in tunnel-check.ts and
 * suite.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Proc } from '../harness/process.js';
import type { Lab } from './lab.js';
import { enablePublicAddress } from './router.js';
import { tryExecSync } from './shell.js';
import type { LabRouter } from './topology.js';

/** One port mapping in miniupnpd's lease file (`PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESC`). */
export interface LeaseEntry {
  protocol: string;
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  /** Expiry (seconds; miniupnpd's clock), 0 without a lease time. */
  timestamp: number;
  description: string;
}

export interface MiniupnpdOptions {
  /** UPnP IGD (SSDP + SOAP). Default true. */
  upnp?: boolean;
  /** NAT-PMP/PCP on UDP 5351. Default true. */
  natpmp?: boolean;
  /** Extra lines for miniupnpd.conf. */
  extraConfig?: string[];
}

/** A miniupnpd running in a NAT router's namespace (startMiniupnpd). */
export interface Miniupnpd {
  router: LabRouter;
  proc: Proc;
  dir: string;
  configFile: string;
  leaseFile: string;
  /** The external address it reports (the router's publicIp). */
  externalIp: string;
  /** Its HTTP (device description + SOAP) port on the LAN address; 0 with UPnP off. */
  httpPort: number;
  /** The lease file, parsed (empty when miniupnpd has not written one). */
  leases(): LeaseEntry[];
  /** `nft list table inet miniupnpd` in the router (its DNAT and forward rules). */
  nftRules(): Promise<string>;
  /**
   * Remove miniupnpd's DNAT rules behind its back (and the router's UDP conntrack
   * entries): its mappings stay granted (lease file, SOAP, NAT-PMP) but forward
   * nothing, like a router behind a second NAT.
   */
  breakForwarding(): Promise<void>;
  /** SIGTERM (SIGKILL after 3 s); resolves when it has exited. */
  stop(): Promise<void>;
}

/** nftables table miniupnpd's nftables backend is pointed at (upnp_table_name / upnp_nat_table_name). */
const MINIUPNPD_TABLE = 'miniupnpd';

/** miniupnpd's lease file: one `PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESC` line per mapping (pure). */
export function parseLeases(text: string): LeaseEntry[] {
  const out: LeaseEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(TCP|UDP):(\d+):([\d.]+):(\d+):(\d+):(.*)$/.exec(line.trim());
    if (m) out.push({ protocol: m[1]!, externalPort: Number(m[2]), internalAddress: m[3]!, internalPort: Number(m[4]), timestamp: Number(m[5]), description: m[6]! });
  }
  return out;
}

/**
 * Run Debian's miniupnpd (nftables backend) in NAT router `router`, in the
 * foreground, with its config, pid and lease files in a temp dir: WAN `wan` with
 * the router's public address (enablePublicAddress), LAN bridge `lan`, secure
 * mode, mappings of ports >= 1024 for 192.168.0.0/16 only. Its nftables table
 * (`inet miniupnpd`: DNAT in prerouting, accept in forward) is created fresh
 * first, as Debian's nft_init.sh would (needs `nft`). Tracked like spawn():
 * killed by destroy(), also on failure.
 */
export async function startMiniupnpd(lab: Lab, router: LabRouter | string, opts: MiniupnpdOptions = {}): Promise<Miniupnpd> {
  const r = typeof router === 'string' ? lab.router(router) : router;
  // /usr/sbin may be missing from PATH: resolve both binaries once.
  const bin = (b: string): string => tryExecSync('sh', ['-c', `command -v ${b} || command -v /usr/sbin/${b}`]).trim().split('\n')[0] ?? '';
  const [miniupnpd, nft] = [bin('miniupnpd'), bin('nft')];
  const missing = [miniupnpd ? '' : 'miniupnpd', nft ? '' : 'nft'].filter(Boolean);
  if (missing.length) throw new Error(`lab: missing ${missing.join(', ')}: apt-get install -y miniupnpd nftables (the nftables backend needs its table set up with nft)`);
  const externalIp = await enablePublicAddress(lab, r);
  const T = MINIUPNPD_TABLE;
  // Declaring then deleting makes the load idempotent (a restart starts from no rules).
  const ruleset = [
    `table inet ${T} {}`,
    `delete table inet ${T}`,
    `table inet ${T} {`,
    '  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }',
    '  chain miniupnpd { }',
    '  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }',
    '  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }',
    '  chain prerouting_miniupnpd { }',
    '  chain postrouting_miniupnpd { }',
    '}',
    '',
  ].join('\n');
  await lab.execOk(r.ns, [nft, '-f', '-'], { input: ruleset });
  const dir = lab.tempDir('miniupnpd');
  const configFile = join(dir, 'miniupnpd.conf');
  const leaseFile = join(dir, 'leases');
  writeFileSync(configFile, [
    'ext_ifname=wan',
    `ext_ip=${externalIp}`,
    'listening_ip=lan',
    'http_port=0',
    `enable_natpmp=${opts.natpmp === false ? 'no' : 'yes'}`,
    `enable_upnp=${opts.upnp === false ? 'no' : 'yes'}`,
    'secure_mode=yes',
    'ipv6_disable=yes',
    'system_uptime=yes',
    `uuid=${randomUUID()}`,
    `lease_file=${leaseFile}`,
    `upnp_table_name=${T}`,
    `upnp_nat_table_name=${T}`,
    ...(opts.extraConfig ?? []),
    'allow 1024-65535 192.168.0.0/16 1024-65535',
    'deny 0-65535 0.0.0.0/0 0-65535',
    '',
  ].join('\n'));
  const proc = lab.spawn(r.ns, `miniupnpd@${r.role}`, miniupnpd, ['-f', configFile, '-d', '-P', join(dir, 'miniupnpd.pid')]);
  try {
    await proc.waitFor(/version [\d.]+ starting/, 'any', 10_000);
    const http = opts.upnp === false ? undefined : await proc.waitFor(/HTTP listening on port (\d+)/, 'any', 10_000);
    if (opts.natpmp !== false) await proc.waitFor(/Listening for NAT-PMP/, 'any', 10_000);
    return {
      router: r,
      proc,
      dir,
      configFile,
      leaseFile,
      externalIp,
      httpPort: http ? Number(http[1]) : 0,
      leases: () => (existsSync(leaseFile) ? parseLeases(readFileSync(leaseFile, 'utf8')) : []),
      nftRules: () => lab.execOk(r.ns, [nft, 'list', 'table', 'inet', T]),
      breakForwarding: async () => {
        await lab.execOk(r.ns, [nft, 'flush', 'chain', 'inet', T, 'prerouting_miniupnpd']);
        // Flows already redirected go too (UDP only: the peers' signalling stays up).
        await lab.exec(r.ns, ['conntrack', '-D', '-p', 'udp']);
      },
      stop: async () => {
        await proc.stop('SIGTERM', 3000);
      },
    };
  } catch (err) {
    await proc.stop('SIGKILL', 1000);
    throw err;
  }
}

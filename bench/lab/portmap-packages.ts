/**
 * Issue #13: the npm port-mapping packages the design named, measured against
 * miniupnpd in the NAT lab beside our own clients (src/portmap). Root only.
 *
 * For each package (nat-api 0.3.1, @silentbot1/nat-api, @achingbrain/nat-port-mapper,
 * ours) and each method (UPnP IGD, NAT-PMP), a child in h1a (behind r1, which
 * runs miniupnpd) maps UDP PORT for 600 s (bench/portmap-packages/child.mjs);
 * this side then checks miniupnpd's lease file for the mapping (internal
 * address and port, lease length), asks the child to unmap, and checks that the
 * lease is gone. Then the same with miniupnpd stopped: how the failure surfaces
 * (an error with a reason, a bare false, a hang, a crash) and how long it takes.
 *
 * The packages are not dependencies of p2prc-nat: they live in their own
 * project with its lockfile. Before the first run:
 *   npm ci --prefix bench/portmap-packages
 *   node dist/bench/lab/portmap-packages.js     (root)
 * Writes bench/results/portmap-packages-latest.md and a JSON beside it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../common.js';
import type { Proc } from '../../test/helpers.js';
import { Lab, labUnavailable } from '../../test/lab/lab.js';
import type { Miniupnpd } from '../../test/lab/miniupnpd.js';
import { table } from '../../src/cli/format.js';

const DIR = join(ROOT, 'bench', 'portmap-packages');
const CHILD = join(DIR, 'child.mjs');
const PACKAGES = ['nat-api', 'silentbot', 'achingbrain', 'ours'] as const;
const LABEL: Record<(typeof PACKAGES)[number], string> = { 'nat-api': 'nat-api 0.3.1', silentbot: '@silentbot1/nat-api 0.4.9', achingbrain: '@achingbrain/nat-port-mapper 4.0.5', ours: 'ours (src/portmap)' };
const METHODS = ['upnp', 'natpmp'] as const;
const STEP_MS = 40_000;

interface Result {
  pkg: string;
  method: string;
  mapped: boolean;
  mapMs?: number;
  external?: string;
  lease?: string;
  unmapped?: string;
  failure?: string;
  failureMs?: number;
}

const line = (p: Proc, events: string[]): Promise<Record<string, unknown>> =>
  p.waitForEvent((e) => events.includes(String(e.event)), STEP_MS).then((e) => e as Record<string, unknown>);

async function main(): Promise<void> {
  const why = labUnavailable() ?? (process.getuid?.() !== 0 ? 'needs root' : undefined);
  if (why) throw new Error(`the lab cannot run here: ${why}`);
  if (!existsSync(join(DIR, 'node_modules'))) throw new Error('the packages are not installed: npm ci --prefix bench/portmap-packages');
  const log = (l: string): void => void process.stderr.write(`[portmap-packages] ${l}\n`);
  const lab = await Lab.create({ publicHosts: 1, natHosts: [1], firewallHosts: [], log: () => undefined });
  const working: Result[] = [];
  const broken: Result[] = [];
  let mu: Miniupnpd | undefined;
  try {
    const h = lab.host('h1a');
    const gw = lab.router('r1').lanIp;
    let port = 44000;
    for (const phase of ['working', 'no gateway'] as const) {
      mu = phase === 'working' ? await lab.startMiniupnpd('r1') : undefined;
      for (const pkg of PACKAGES) {
        for (const method of METHODS) {
          const p0 = ++port;
          const r: Result = { pkg: LABEL[pkg], method, mapped: false };
          const child = lab.spawnNode(h.ns, `${pkg}/${method}`, CHILD, [pkg, method, String(p0), gw, h.ip], {}, { stdin: true, maxLines: 200 });
          try {
            const first: Record<string, unknown> = await line(child, ['mapped', 'map-failed', 'crashed']).catch((e: Error) => ({ event: 'hung', error: e.message.split('\n')[0] }));
            if (phase === 'no gateway') {
              broken.push({ pkg: LABEL[pkg], method, mapped: false, failure: `${String(first.event)}: ${String(first.error ?? first.mapResult ?? '')}`.slice(0, 160), ...(typeof first.ms === 'number' ? { failureMs: first.ms } : {}) });
              log(`${pkg} ${method} without a gateway: ${JSON.stringify(first)}`);
              continue;
            }
            working.push(r);
            if (first.event !== 'mapped') {
              r.failure = `${String(first.event)}: ${String(first.error ?? '')}`.slice(0, 160);
              log(`${pkg} ${method}: ${JSON.stringify(first)}`);
              continue;
            }
            r.mapped = true;
            r.mapMs = Number(first.ms);
            r.external = String(first.external);
            const lease = mu!.leases().find((l) => l.protocol === 'UDP' && l.externalPort === p0);
            r.lease = lease ? `${lease.internalAddress}:${lease.internalPort}, ${Math.round(lease.timestamp - Date.now() / 1000)} s left` : 'none in the lease file';
            child.send({ cmd: 'unmap' });
            const un: Record<string, unknown> = await line(child, ['unmapped', 'unmap-failed', 'crashed']).catch((e: Error) => ({ event: 'hung', error: e.message.split('\n')[0] }));
            // miniupnpd rewrites its lease file on change: give it a moment (bounded), then look.
            let gone = false;
            for (let i = 0; i < 20 && !gone; i++) {
              gone = !mu!.leases().some((l) => l.protocol === 'UDP' && l.externalPort === p0);
              if (!gone) await new Promise((res) => setTimeout(res, 100));
            }
            r.unmapped = `${String(un.event)}${un.error ? ` (${String(un.error).slice(0, 100)})` : ''}; lease ${gone ? 'removed' : 'STILL THERE'}`;
            log(`${pkg} ${method}: mapped in ${r.mapMs} ms, external ${r.external}, lease ${r.lease}; ${r.unmapped}`);
          } finally {
            await child.stop('SIGKILL', 1000);
          }
        }
      }
      await mu?.stop();
    }
  } finally {
    await lab.destroy();
  }
  const md = [
    `# npm port-mapping packages against miniupnpd (${new Date().toISOString()})`,
    '',
    'UDP port, 600 s asked, from h1a behind r1 (miniupnpd 2.3: UPnP IGD v1, NAT-PMP/PCP on 5351).',
    '',
    table(['package', 'method', 'mapped', 'ms', 'external address', 'lease (miniupnpd)', 'unmap'], working.map((r) => [r.pkg, r.method, r.mapped ? 'yes' : `no: ${r.failure ?? ''}`, r.mapMs === undefined ? '-' : String(r.mapMs), r.external ?? '-', r.lease ?? '-', r.unmapped ?? '-'])),
    '',
    'With no gateway answering (miniupnpd stopped): how the failure surfaces.',
    '',
    table(['package', 'method', 'after ms', 'what the caller gets'], broken.map((r) => [r.pkg, r.method, r.failureMs === undefined ? '-' : String(r.failureMs), r.failure ?? '-'])),
    '',
  ].join('\n');
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'portmap-packages-latest.md'), md);
  writeFileSync(join(out, 'portmap-packages-latest.json'), JSON.stringify({ generatedAt: new Date().toISOString(), working, noGateway: broken }, null, 2) + '\n');
  process.stdout.write(md);
}

main().catch((err: unknown) => {
  process.stderr.write(`portmap-packages: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

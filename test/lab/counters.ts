/**
 * Counters: UDP bytes in and out of a host namespace, from iptables counters in
 * that namespace (a P2L_COUNT chain that counts and accepts nothing extra). On
 * the server host they tell relayed tunnel traffic from a direct path,
 * whatever the peers report. Routers cannot count: setMode replaces their rules.
 */
import type { Lab } from './lab.js';

export class UdpCounters {
  /** Namespaces whose counting chain is installed. */
  private readonly counting = new Set<string>();
  constructor(private readonly lab: Lab) {}

  /**
   * UDP bytes in and out of a namespace since the last reset (iptables counters
   * in that namespace; the rules count and accept nothing extra). On the server
   * host this tells relayed tunnel traffic from a direct path, whatever the
   * peers report.
   */
  async bytes(ns: string): Promise<{ in: number; out: number }> {
    await this.ensureCounters(ns);
    const text = await this.lab.execOk(ns, ['iptables', '-w', '-nvxL', 'P2L_COUNT']);
    const res = { in: 0, out: 0 };
    for (const line of text.split('\n')) {
      // pkts bytes target prot opt in out source destination [comment]
      const m = /^\s*\d+\s+(\d+)\s+.*\/\* (in|out) \*\//.exec(line);
      if (m) res[m[2] as 'in' | 'out'] += Number(m[1]);
    }
    return res;
  }

  async reset(ns: string): Promise<void> {
    await this.ensureCounters(ns);
    await this.lab.execOk(ns, ['iptables', '-w', '-Z', 'P2L_COUNT']);
  }

  private async ensureCounters(ns: string): Promise<void> {
    if (this.counting.has(ns)) return;
    if (this.lab.routers.some((r) => r.ns === ns)) throw new Error(`lab: counters on router ${ns} would be replaced by setMode; count on hosts`);
    const rules = [
      '*filter',
      ':P2L_COUNT - [0:0]',
      '-A INPUT -p udp -j P2L_COUNT',
      '-A OUTPUT -p udp -j P2L_COUNT',
      '-A P2L_COUNT -m addrtype --dst-type LOCAL -m comment --comment in',
      '-A P2L_COUNT -m addrtype ! --dst-type LOCAL -m comment --comment out',
      '-A P2L_COUNT -j RETURN',
      'COMMIT',
      '',
    ].join('\n');
    await this.lab.execOk(ns, ['iptables-restore', '--noflush'], { input: rules });
    this.counting.add(ns);
  }
}

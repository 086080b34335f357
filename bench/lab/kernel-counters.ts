/**
 * The kernel's own drop counters the lab diagnoses read beside the link emulators'
 * (bench/lab/trace.ts, probe.ts, pp-upload.ts).
 */
import { readFileSync } from 'node:fs';

/**
 * Frames the kernel dropped because a CPU's input backlog was full
 * (net.core.netdev_max_backlog): /proc/net/softnet_stat's second column, summed
 * over CPUs. Machine-wide (every veth hand-off between namespaces queues there),
 * and counted by neither the UDP MIB nor the link emulators.
 */
export function softnetDrops(): number {
  return readFileSync('/proc/net/softnet_stat', 'utf8').trim().split('\n').reduce((n, l) => n + parseInt(l.trim().split(/\s+/)[1]!, 16), 0);
}

/** The UDP MIB of a /proc/net/snmp text (a namespace's): counter name -> value; empty if absent. */
export function udpMib(snmp: string): Record<string, number> {
  const lines = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
  if (lines.length < 2) return {};
  const k = lines[0]!.split(/\s+/).slice(1);
  const v = lines[1]!.split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(k.map((key, i) => [key, v[i]!]));
}

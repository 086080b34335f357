/**
 * A latency histogram that load-client processes can send to the bench and the
 * bench can merge: log buckets 1 % wide (so a percentile is within 1 % of the
 * sample it stands for), a few hundred buckets however many samples. Pure.
 */

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

/** Bucket index -> count; the bucket of v (µs, >= 1) is floor(log(v) / log(1.01)). */
export type Histogram = Record<string, number>;

export function record(h: Histogram, us: number): void {
  const b = String(Math.floor(Math.log(Math.max(1, us)) / LOG_GROWTH));
  h[b] = (h[b] ?? 0) + 1;
}

export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of Object.entries(from)) into[b] = (into[b] ?? 0) + n;
  return into;
}

export function count(h: Histogram): number {
  return Object.values(h).reduce((a, b) => a + b, 0);
}

/** The p-th percentile (0..100) in µs: the upper edge of the bucket holding it; NaN when empty. */
export function percentile(h: Histogram, p: number): number {
  const buckets = Object.entries(h)
    .map(([b, n]) => [Number(b), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return NaN;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [b, n] of buckets) {
    seen += n;
    if (seen >= rank) return Math.pow(GROWTH, b + 1);
  }
  return Math.pow(GROWTH, buckets[buckets.length - 1]![0] + 1);
}

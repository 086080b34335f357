/**
 * Loaded with `node --expose-gc --import` into the signal servers the
 * signal-scale bench measures (ours and PeerJS alike), so that their memory is
 * read after a full collection: on SIGUSR2 it runs two full GCs and prints
 * `{"event":"bench-gc","n":N,"heapUsed":B,"external":B,"spaces":{...}}` on stdout
 * (N counts the requests, so the bench can wait for the answer to each one;
 * heapUsed and external are process.memoryUsage()'s, after the GCs; spaces is
 * each V8 heap space's physical size in bytes).
 */
import { getHeapSpaceStatistics } from 'node:v8';

let n = 0;
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  // Each V8 space's committed size (bytes): where the RSS beyond the live heap sits (e.g. a young generation grown under load).
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
  process.stdout.write(JSON.stringify({ event: 'bench-gc', n: ++n, gc: gc !== undefined, heapUsed, external, spaces }) + '\n');
});

/**
 * Loaded with `node --expose-gc --import` into the signal servers the
 * signal-scale bench measures (ours and PeerJS alike), so that their memory is
 * read after a full collection: on SIGUSR2 it runs two full GCs and prints
 * `{"event":"bench-gc","n":N,"heapUsed":B,"external":B}` on stdout (N counts the
 * requests, so the bench can wait for the answer to each one; heapUsed and
 * external are process.memoryUsage()'s, after the GCs).
 */
let n = 0;
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ event: 'bench-gc', n: ++n, gc: gc !== undefined, heapUsed, external }) + '\n');
});

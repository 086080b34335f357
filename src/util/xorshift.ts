/**
 * xorshift32 with a fixed seed: the deterministic random source of the fuzz
 * tests (the same inputs on every run, so a failure can be replayed).
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

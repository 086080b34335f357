/** Assertion helper for the attribute tests (not part of the API). */
import assert from 'node:assert/strict';
import { StunDecodeError } from '../errors.js';

/** Asserts that `fn` throws a StunDecodeError (optionally with the given reason). */
export function assertDecodeError(fn: () => unknown, reason?: string): void {
  assert.throws(fn, (e: unknown) => e instanceof StunDecodeError && (reason === undefined || e.reason === reason));
}

/** Asserts `decode` rejects every length in `lengths` with StunDecodeError('bad-length'). */
export function assertRejectsLengths(decode: (v: Buffer) => unknown, lengths: number[]): void {
  for (const n of lengths) assertDecodeError(() => decode(Buffer.alloc(n, 1)), 'bad-length');
}

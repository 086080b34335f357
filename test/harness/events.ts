/**
 * What the harness sees on a child's stdout: one event per line (a JSON object
 * as is, any other line as `{ text }`), and how a wait says which event it
 * wants: by name, by a pattern object, or by a predicate.
 */

/** One stdout line as an object: a JSON object as is, any other line as `{ text: line }`. */
export type Json = Record<string, unknown>;
/** A stdout event and when it arrived (performance.now()). */
export interface TimedEvent {
  obj: Json;
  at: number;
}
/**
 * What an event wait looks for: an event name (`'route'`), a pattern object
 * (every key must match: a RegExp tests a string value, a function is called
 * with the value, an object matches recursively, anything else compares with
 * ===), or a predicate on the whole event.
 */
export type EventMatch = string | Json | ((o: Json) => boolean);

/** Whether `obj` matches `m` (see EventMatch). */
export function eventMatches(obj: Json, m: EventMatch): boolean {
  if (typeof m === 'string') return obj.event === m;
  if (typeof m === 'function') return m(obj);
  return partialMatch(obj, m);
}

function partialMatch(v: unknown, pattern: unknown): boolean {
  if (pattern instanceof RegExp) return typeof v === 'string' && pattern.test(v);
  if (typeof pattern === 'function') return Boolean((pattern as (x: unknown) => unknown)(v));
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof v !== 'object' || v === null) return false;
    return Object.entries(pattern).every(([k, p]) => partialMatch((v as Json)[k], p));
  }
  return v === pattern;
}

/** The match in words, for timeout messages. */
export function describeMatch(m: EventMatch): string {
  if (typeof m === 'string') return `event "${m}"`;
  if (typeof m === 'function') return 'event matching a predicate';
  return `event ${JSON.stringify(m, (_k, v: unknown) => (v instanceof RegExp ? String(v) : typeof v === 'function' ? `(${String(v)})` : v))}`;
}

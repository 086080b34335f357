/**
 * The server's fast path for the client messages it handles most: `signal`
 * (offers, answers, candidates, byes, acks: what it relays) and `ping` (the
 * keepalive). The same rules as their schemas in messages.ts, written as plain
 * checks, so a valid message costs no schema run and no copy (#9: the schema
 * was ~3 µs of the ~18 µs of JavaScript per relayed signal, with its garbage).
 *
 * It only ever accepts: a message it accepts is one the schema accepts, with
 * no key the schema would strip, so the object parsed from JSON is already what
 * the schema would return. Anything else (a punch payload, an extra key, a
 * string long enough that the schema counts code points, any invalid field)
 * gets `undefined`, and the caller runs the schema, whose verdict and error
 * text stand. Tested against the schemas on generated messages
 * (fast-check.test.ts).
 */
import type { ClientMessage } from './messages.js';

/** The schemas' patterns (messages.ts: PeerIdSchema, SessionIdSchema, B64). */
const PEER_ID = /^[0-9a-f]{40}$/;
const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string of at most `max` UTF-16 units (the schemas count code points, never more than units). */
const shortString = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max;
const optionalBoolean = (v: unknown): boolean => v === undefined || typeof v === 'boolean';

/**
 * Bytes that Buffer.from(s, 'base64') decodes from `s` (which matched B64):
 * 3 per 4 characters, the trailing `=` not counted, a partial group rounded down.
 */
export function base64Bytes(s: string): number {
  let chars = s.length;
  if (chars > 0 && s.charCodeAt(chars - 1) === 0x3d) chars--;
  if (chars > 0 && s.charCodeAt(chars - 1) === 0x3d) chars--;
  return (chars * 3) >>> 2;
}

/** SignatureSchema: base64 of 64 bytes. */
const isSignature = (v: unknown): boolean => typeof v === 'string' && B64.test(v) && base64Bytes(v) === 64;

/** How many own keys `o` has, or -1 as soon as one is not in `allowed`. */
function keysWithin(o: Obj, allowed: ReadonlySet<string>): number {
  let n = 0;
  for (const k in o) {
    if (!allowed.has(k)) return -1;
    n++;
  }
  return n;
}

const DESCRIPTION_KEYS = new Set(['kind', 'sessionId', 'sdp', 'ts', 'signature', 'relayOnly']);
const CANDIDATE_KEYS = new Set(['kind', 'sessionId', 'candidate', 'mid', 'upnp']);
const BYE_KEYS = new Set(['kind', 'sessionId', 'reason']);
const ACK_KEYS = new Set(['kind', 'sessionId']);
const SIGNAL_KEYS = new Set(['type', 'to', 'payload']);
const PING_KEYS = new Set(['type', 'id']);

/** A SignalPayloadSchema payload other than punch, with no extra key. */
function isPlainPayload(p: unknown): boolean {
  if (!isObject(p) || typeof p.sessionId !== 'string' || !SESSION_ID.test(p.sessionId)) return false;
  switch (p.kind) {
    case 'offer':
    case 'answer':
      return (
        keysWithin(p, DESCRIPTION_KEYS) === (p.relayOnly === undefined ? 5 : 6) &&
        shortString(p.sdp, 32 * 1024) &&
        Number.isSafeInteger(p.ts) &&
        (p.ts as number) >= 0 &&
        isSignature(p.signature) &&
        optionalBoolean(p.relayOnly)
      );
    case 'candidate':
      return (
        keysWithin(p, CANDIDATE_KEYS) === (p.upnp === undefined ? 4 : 5) &&
        shortString(p.candidate, 1024) &&
        shortString(p.mid, 64) &&
        optionalBoolean(p.upnp)
      );
    case 'bye':
      return keysWithin(p, BYE_KEYS) === (p.reason === undefined ? 2 : 3) && (p.reason === undefined || shortString(p.reason, 512));
    case 'ack':
      return keysWithin(p, ACK_KEYS) === 2;
    default:
      return false; // punch, or not a payload: the schema decides
  }
}

/**
 * `value` (parsed JSON, an object whose `type` is a string) as a client
 * message when it is a plainly valid `signal` or `ping`; undefined: ask the schema.
 */
export function fastClientMessage(value: Obj): ClientMessage | undefined {
  switch (value.type) {
    case 'signal':
      return keysWithin(value, SIGNAL_KEYS) === 3 && typeof value.to === 'string' && PEER_ID.test(value.to) && isPlainPayload(value.payload)
        ? (value as ClientMessage)
        : undefined;
    case 'ping':
      return keysWithin(value, PING_KEYS) === (value.id === undefined ? 1 : 2) && (value.id === undefined || Number.isSafeInteger(value.id))
        ? (value as ClientMessage)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Decoding and encoding of signalling frames: size limit, JSON, the known
 * types, then the schema (or the fast path for plainly valid messages). Every
 * failure is a P2prcError with a code. Pure: no I/O.
 */
import { z } from 'zod';
import { ErrorCode, P2prcError } from './errors.js';
import { fastClientMessage } from './fast-check.js';
import { ClientMessageSchema, ServerMessageSchema, type ClientMessage, type ServerMessage } from './envelopes.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './schema-primitives.js';

/** The `type`s each side may send, read from the schemas' unions. */
const CLIENT_TYPES = new Set<string>(ClientMessageSchema.options.map((o) => o.shape.type.value));
const SERVER_TYPES = new Set<string>(ServerMessageSchema.options.map((o) => o.shape.type.value));

/** Bytes of the challenge a peer signs to prove it holds its key. */
export function registerChallenge(nonce: string, name: string): Buffer {
  return Buffer.from(`p2prc-register/v${PROTOCOL_VERSION}\n${nonce}\n${name}`, 'utf8');
}

function summarize(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** A raw message's text, once its size is known to be within MAX_MESSAGE_BYTES. */
function textOf(raw: string | Buffer): string {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_MESSAGE_BYTES) {
    throw new P2prcError(ErrorCode.TooLarge, `message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

function decodeText<T>(text: string, schema: z.ZodType<T>, known: Set<string>, fast?: (value: Record<string, unknown>) => T | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new P2prcError(ErrorCode.BadJson, `malformed JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new P2prcError(ErrorCode.BadMessage, 'message must be a JSON object');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') throw new P2prcError(ErrorCode.BadMessage, 'message has no string "type"');
  if (!known.has(type)) throw new P2prcError(ErrorCode.UnknownType, `unknown message type "${type.slice(0, 32)}"`);
  // A plainly valid message the fast path recognises is what the schema would return (fast-check.ts).
  const plain = fast?.(value as Record<string, unknown>);
  if (plain !== undefined) return plain;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new P2prcError(ErrorCode.BadMessage, `invalid "${type}" message: ${summarize(parsed.error)}`);
  return parsed.data;
}

function decode<T>(raw: string | Buffer, schema: z.ZodType<T>, known: Set<string>, fast?: (value: Record<string, unknown>) => T | undefined): T {
  return decodeText(textOf(raw), schema, known, fast);
}

/**
 * decodeClientMessage, with the message's text: the server relays a signal's
 * payload as its sender wrote it when that text is exactly the payload it
 * validated (signal-relay.ts).
 */
export function decodeClientFrame(raw: string | Buffer): { msg: ClientMessage; text: string } {
  const text = textOf(raw);
  return { msg: decodeText(text, ClientMessageSchema, CLIENT_TYPES, fastClientMessage), text };
}

/** Parse and validate a message received by the server. Throws P2prcError with a code. */
export function decodeClientMessage(raw: string | Buffer): ClientMessage {
  return decode(raw, ClientMessageSchema, CLIENT_TYPES, fastClientMessage);
}
/** Parse and validate a message received by a peer. Throws P2prcError with a code. */
export function decodeServerMessage(raw: string | Buffer): ServerMessage {
  return decode(raw, ServerMessageSchema, SERVER_TYPES);
}
export function encodeMessage(msg: ClientMessage | ServerMessage): string {
  return JSON.stringify(msg);
}
/** Best-effort `type` of a raw message, for error references; never throws. */
export function peekType(raw: string | Buffer): string | undefined {
  try {
    const v = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8')) as { type?: unknown };
    return typeof v?.type === 'string' ? v.type.slice(0, 32) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tunnel stream protocol on one data channel (pure, no I/O).
 *
 * Binary messages are stream bytes. Text messages are control frames:
 *   credit {n}  — receiver allows n more bytes (flow control: a data channel
 *                 cannot be paused, so the sender waits for credit instead)
 *   fin         — sender will send no more bytes (TCP half-close)
 *   done        — sender has sent fin, received fin and delivered every byte;
 *                 the channel closes when both sides have sent and received done
 *   rst {reason}— abort the stream (TCP reset)
 *   err {code, message} — the exposing side refused the stream
 */
import { z } from 'zod';

export const TUNNEL_PROTOCOL = 'p2prc-tunnel/1';
const LABEL_PREFIX = 'tcp/';

const FrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('credit'), n: z.number().int().positive().max(2 ** 32) }),
  z.object({ t: z.literal('fin') }),
  z.object({ t: z.literal('done') }),
  z.object({ t: z.literal('rst'), reason: z.string().max(512).optional() }),
  z.object({ t: z.literal('err'), code: z.string().max(64), message: z.string().max(1024) }),
]);
export type Frame = z.infer<typeof FrameSchema>;

export function encodeFrame(f: Frame): string {
  return JSON.stringify(f);
}

/** Parse a control frame; undefined when it is not one (logged and ignored by the caller). */
export function decodeFrame(text: string): Frame | undefined {
  if (text.length > 4096) return undefined;
  try {
    const r = FrameSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export function streamLabel(service: string): string {
  return LABEL_PREFIX + service;
}

/** The service a stream channel asks for, or undefined when the label is not a tunnel label. */
export function serviceFromLabel(label: string): string | undefined {
  if (!label.startsWith(LABEL_PREFIX)) return undefined;
  const s = label.slice(LABEL_PREFIX.length);
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(s) ? s : undefined;
}

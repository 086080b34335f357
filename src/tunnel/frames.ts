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
 *
 * Labels name what a channel carries: `tcp/<service>` is a TunnelStream (the
 * protocol above), `udp/<service>` a UDP session (udp-service.ts,
 * udp-public-port.ts: binary messages are whole datagrams, the only text
 * message is `err`). The prefixes differ, so neither is ever read as the other.
 */
import { z } from 'zod';

export const TUNNEL_PROTOCOL = 'p2prc-tunnel/1';
/** The data channel protocol of a UDP session (one channel per client address). */
export const UDP_PROTOCOL = 'p2prc-udp/1';
const LABEL_PREFIX = 'tcp/';
const UDP_LABEL_PREFIX = 'udp/';
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

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
  return labelService(label, LABEL_PREFIX);
}

/** The label of a UDP session's channel to `service`. */
export function udpLabel(service: string): string {
  return UDP_LABEL_PREFIX + service;
}

/** The service a UDP session's channel asks for, or undefined when the label is not a UDP label. */
export function udpServiceFromLabel(label: string): string | undefined {
  return labelService(label, UDP_LABEL_PREFIX);
}

function labelService(label: string, prefix: string): string | undefined {
  if (!label.startsWith(prefix)) return undefined;
  const s = label.slice(prefix.length);
  return SERVICE_NAME.test(s) ? s : undefined;
}

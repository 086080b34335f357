/**
 * A UDP session's data channel, the part both ends share: a binary message is
 * one whole datagram; the only text message is an `err` frame (frames.ts), sent
 * by the exposing side when it refuses the session. Sends never wait: a
 * datagram that does not fit (too large, channel congested, channel gone) is
 * dropped and the caller counts why, as a router would drop it.
 */
import type { DataChannel } from 'node-datachannel';
import { decodeFrame, encodeFrame, type Frame } from './frames.js';
import { MAX_CHANNEL_BUFFERED, MAX_DATAGRAM, asBuffer, type UdpDropReason } from './udp-datagrams.js';

/** How long a refusing side waits for the peer to close the channel after reading the `err` frame. */
export const REFUSE_CLOSE_MS = 5000;

/** Send one datagram as one binary message: undefined when sent, else why it was dropped. */
export function sendDatagram(dc: DataChannel, datagram: Buffer): UdpDropReason | undefined {
  if (datagram.length > MAX_DATAGRAM) return 'too-large';
  try {
    if (dc.bufferedAmount() > MAX_CHANNEL_BUFFERED) return 'congested';
    dc.sendMessageBinary(datagram);
    return undefined;
  } catch {
    return 'send-error'; // the channel closed under us; its onClosed ends the session
  }
}

export type ChannelMessage = { datagram: Buffer } | { frame: Frame } | { junk: string };

/** What a message on a UDP session's channel is. */
export function readChannelMessage(msg: string | Buffer | ArrayBuffer): ChannelMessage {
  if (typeof msg !== 'string') return { datagram: asBuffer(msg) };
  const frame = decodeFrame(msg);
  return frame ? { frame } : { junk: msg.slice(0, 80) };
}

/**
 * Refuse a UDP session: send an `err` frame, let the peer close the channel when
 * it reads it, close it ourselves REFUSE_CLOSE_MS later otherwise. `done` runs once,
 * when the channel is closed (the caller releases it then).
 */
export function refuseChannel(dc: DataChannel, code: string, message: string, done: () => void): void {
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    try {
      dc.close();
    } catch {
      /* already closed */
    }
    done();
  };
  const timer = setTimeout(finish, REFUSE_CLOSE_MS);
  timer.unref();
  dc.onClosed(finish);
  dc.onMessage(() => undefined);
  try {
    dc.sendMessage(encodeFrame({ t: 'err', code, message }));
  } catch {
    finish();
  }
}

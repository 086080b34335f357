/**
 * Is the P2P path to a peer still alive? Asked when the peer leaves the signal
 * server (presence `leave`). A peer that lost only its signal-server connection
 * still holds its PeerConnection, and a session whose path works must outlive
 * presence changes (#8 item 5); a peer whose process died must still be noticed
 * promptly, not only when ICE consent expires (~30 s), so that a restarted peer
 * gets a new session. The probe opens a data channel: libdatachannel reports it
 * open only once the peer's SCTP stack has acknowledged the DCEP OPEN, a round
 * trip over the very path the tunnels use. The peer holds the channel and
 * otherwise ignores it (PeerSession filters PROBE_LABEL).
 */
import type { DataChannel, PeerConnection } from 'node-datachannel';

export const PROBE_LABEL = 'p2prc-probe';

/**
 * No ack within this long: no peer. A DCEP round trip takes one RTT plus the SCTP
 * queue ahead of it; 5 s covers a congested path (a relay across the world plus a
 * busy transfer) and still frees a dead peer's session well before ICE consent expiry.
 */
export const PROBE_TIMEOUT_MS = 5000;

/** Resolves true when the peer acknowledges a probe channel within `timeoutMs`, false otherwise (never rejects). */
export function probePath(pc: PeerConnection, hold: (dc: DataChannel) => void, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let dc: DataChannel;
    let timer: NodeJS.Timeout | undefined;
    const done = (alive: boolean): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      try {
        dc?.close();
      } catch {
        /* already closed */
      }
      resolve(alive);
    };
    try {
      dc = pc.createDataChannel(PROBE_LABEL);
    } catch {
      resolve(false);
      return;
    }
    hold(dc);
    timer = setTimeout(() => done(false), timeoutMs);
    dc.onOpen(() => done(true));
    dc.onError(() => done(false));
  });
}

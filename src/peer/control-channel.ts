/**
 * The offerer's control channel (`p2prc-ctl`): a data channel made before
 * negotiation, whose opening tells the session that a stream channel can now be
 * opened safely. PeerSession reports "connected" only once it is open (see
 * openControlChannel for the libdatachannel race this avoids). It carries no data.
 */
import type { DataChannel, PeerConnection } from 'node-datachannel';

export const CONTROL_LABEL = 'p2prc-ctl';

/**
 * The control channel's SCTP stream. A negotiated channel's stream is fixed by
 * both sides without a DCEP OPEN; only the offerer makes this one and nothing is
 * ever sent on it, so the answerer never learns of it. Streams the offerer opens
 * itself have the parity of its DTLS role, and the answerer's the other one
 * (RFC 8832 §6): this id has the offerer's, so no channel of the answerer can
 * collide with it, and the offerer's own skip it. The offerer is the DTLS client
 * (dtlsClientOffer in ice.ts), whose streams are even.
 */
export const CONTROL_STREAM_ID = 0;

/**
 * Our control channel; we report connected only once it is open. When SCTP comes up,
 * libdatachannel reports "connected" and then, as a separate queued task, opens every
 * channel that is not open yet (for a DCEP channel: sends its OPEN; it counts as open
 * only once the peer's ACK is in). A stream channel created from our "connected"
 * handler is opened at once by createDataChannel and, when that task has not run yet,
 * a second time by it: the peer answers the second OPEN with "Got open message on
 * already used stream N" and closes the channel (N is the stream's own id). This
 * channel exists before SCTP is up, so that task is what opens it, and being
 * negotiated, it opens right there, with no round trip to the peer (a DCEP channel's
 * ACK would cost one RTT before the first stream): its open means the task has run.
 * Made before negotiation, it also puts the SCTP application section in the offer.
 */
export function openControlChannel(pc: PeerConnection, hold: (dc: DataChannel) => void, onOpen: () => void): void {
  const ctl = pc.createDataChannel(CONTROL_LABEL, { negotiated: true, id: CONTROL_STREAM_ID });
  hold(ctl);
  ctl.onOpen(onOpen);
}

/**
 * The offerer's control channel (`p2prc-ctl`): a data channel made before
 * negotiation, whose opening tells the session that a stream channel can now be
 * opened safely. PeerSession reports "connected" only once it is open (see
 * openControlChannel for the libdatachannel race this avoids). It carries no data.
 */
import type { DataChannel, PeerConnection } from 'node-datachannel';

export const CONTROL_LABEL = 'p2prc-ctl';

/**
 * Our control channel; we report connected only once it is open. When SCTP comes up,
 * libdatachannel reports "connected" and then, as a separate queued task, sends a DCEP
 * OPEN for every channel that is not open yet (a channel counts as open only once the
 * peer's ACK is in). A stream channel created from our "connected" handler is opened at
 * once by createDataChannel and, when that task has not run yet, a second time by it:
 * the peer answers the second OPEN with "Got open message on already used stream N"
 * and closes the channel (N is the stream's own id). This channel exists before SCTP
 * is up, so that task is what opens it: once it is acknowledged, the task has run.
 * Made before negotiation, it also puts the SCTP application section in the offer.
 */
export function openControlChannel(pc: PeerConnection, hold: (dc: DataChannel) => void, onOpen: () => void): void {
  const ctl = pc.createDataChannel(CONTROL_LABEL);
  hold(ctl);
  ctl.onOpen(onOpen);
}

/**
 * Two node-datachannel PeerConnections of one process signalled to each other
 * directly (no server): used by programs that measure the channel alone.
 */
import type { PeerConnection } from 'node-datachannel';

/**
 * Hand `from`'s description and candidates to `to`. Each callback kind has its
 * own queue into JS, so a candidate can arrive before the description it
 * belongs to: it is held until the description is set. Call it both ways.
 */
export function linkInProcess(from: PeerConnection, to: PeerConnection): void {
  let described = false;
  const held: [string, string][] = [];
  from.onLocalDescription((sdp, type) => {
    to.setRemoteDescription(sdp, type);
    described = true;
    for (const [c, mid] of held.splice(0)) to.addRemoteCandidate(c, mid);
  });
  from.onLocalCandidate((c, mid) => (described ? to.addRemoteCandidate(c, mid) : held.push([c, mid])));
}

/**
 * Why a session that is still connecting at its deadline stalled (the text of
 * its timeout), and the one known cause of a stall after ICE connects.
 */
import type { PeerConnection } from 'node-datachannel';
import { recentNdcLines } from './ndc-log.js';

/*
 * Relayed DTLS deadlock (libdatachannel 0.24.5 in node-datachannel 0.33.4; fixed
 * upstream by libdatachannel#1630, not in a node-datachannel release yet, and fixed in
 * the addon native/build.sh builds: native/README.md, measured there). When a
 * PeerConnection's ICE connects, libdatachannel starts DTLS from inside libjuice's
 * state callback, which runs with the lock of libjuice's poll thread held (one
 * thread and one lock for every PeerConnection of the process). Packets that
 * arrived before that, such as the peer's ClientHello when the peer's ICE
 * connected first (libjuice paces each side's checks 50 ms apart, so one side is
 * usually first: in about half the relayed setups here the DTLS server's
 * ClientHello was early), are handed to the new transport at that moment and a
 * worker thread answers them under the transport's SSL lock. Over a relayed pair,
 * libjuice's send takes the poll thread's lock; if the worker takes the SSL lock
 * before the callback's own last use of it, each thread waits for the other for
 * good: that session stays "connecting" with ICE connected on its relay pair,
 * libjuice stops for every session of the process, and Node's main thread blocks
 * at its next call into libjuice (util/watchdog.ts then ends the process). Seen in
 * about one relayed setup in 200 on loopback (4 of 855 at libdatachannel's default
 * log level; more often with its Debug log; bench/relayed-setup-loop.ts), with the
 * stacks: juice poll thread in DtlsTransport::handleTimeout under emplaceTransport,
 * a worker in agent_send under DtlsTransport::doRecv, the main thread in
 * agent_get_selected_candidate_pair. The relay forwarded every byte both ways.
 * Neither DTLS role nor the order of the two sides' checks avoids it (tried: the
 * answerer as DTLS server, the offerer as DTLS server, the offerer's ack held until
 * the answerer's relayed candidate is in, the answerer's checks 70 ms later: the
 * server's ClientHello still came early in 34-69 % of relayed setups); only a
 * libdatachannel with that fix does. The peer of such a process times out here.
 * With the prebuilt addon, every peer warns at start (src/peer/native-build.ts).
 */
/**
 * Why a session is still connecting at its deadline. ICE connected but the
 * connection not means the DTLS or SCTP handshake on that pair never completed:
 * say which pair, and what libdatachannel reported last.
 */
export function stalledWhy(pc: PeerConnection | undefined): string {
  if (!pc) return 'ICE found no working candidate pair; ICE not started, connection not created';
  const ice = pc.iceState();
  if (ice !== 'connected' && ice !== 'completed') return `ICE found no working candidate pair; ICE ${ice}, connection ${pc.state()}`;
  let pair = 'an unknown pair';
  let relayed = '';
  try {
    const p = pc.getSelectedCandidatePair();
    if (p) {
      pair = `${p.local.type} ${p.local.address}:${p.local.port} <-> ${p.remote.type} ${p.remote.address}:${p.remote.port}`;
      if (p.local.type === 'relay' || p.remote.type === 'relay') relayed = '; on a relayed pair, the likely cause is the relayed DTLS deadlock in a process that runs node-datachannel\'s prebuilt addon (src/peer/stall-reason.ts, native/README.md)';
    }
  } catch {
    /* closed meanwhile */
  }
  const said = recentNdcLines();
  return `ICE ${ice} on ${pair}, but the DTLS/SCTP handshake did not complete (connection ${pc.state()})${said.length ? `; libdatachannel said: ${said.join(' | ')}` : ''}${relayed}`;
}

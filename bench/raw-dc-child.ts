/**
 * The raw data channel's answering side, run as `bench.js --child-dc` in a
 * child process: signalling as JSON lines on stdin/stdout; the 'bulk' channel
 * counts and acknowledges, the 'echo' channel echoes.
 */
import { createInterface } from 'node:readline';
import ndc from 'node-datachannel';
import type { DataChannel, PeerConnection } from 'node-datachannel';
import { HOST, type Json } from './common.js';
import { applySctpTuning, type SctpTuning } from '../src/peer/sctp-settings.js';

/** Answering side, in a child process: 'bulk' counts and acks, 'echo' echoes. `sctp`: from the parent's --sctp-* flags. */
export function runChildDc(sctp?: SctpTuning): void {
  applySctpTuning(sctp);
  const out = (o: Json): void => void process.stdout.write(JSON.stringify(o) + '\n');
  ndc.initLogger('Warning', (level, message) => process.stderr.write(`libdatachannel ${level}: ${message}\n`));
  let pc: PeerConnection | undefined;
  // Every channel is held here: an unreferenced DataChannel is garbage-collected (and closed).
  const channels: DataChannel[] = [];
  // The parent's candidates are held until it acks our answer: checking them at once
  // makes our (DTLS client) ClientHello reach the parent before it has the answer;
  // it is dropped and OpenSSL retransmits only after 1 s.
  const pendingCandidates: { cand: string; mid: string }[] = [];
  let acked = false;
  const quit = (): void => {
    for (const dc of channels) {
      try {
        dc.close();
      } catch {
        /* closed */
      }
    }
    try {
      pc?.close();
    } catch {
      /* closed */
    }
    ndc.cleanup();
    process.exit(0);
  };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  const rl = createInterface({ input: process.stdin });
  rl.on('close', quit); // parent gone or done: stdin closes
  rl.on('line', (line) => {
    const m = JSON.parse(line) as Json;
    if (m.t === 'desc') {
      if (!pc) {
        pc = new ndc.PeerConnection('bench-child', { iceServers: [], bindAddress: HOST });
        pc.onLocalDescription((sdp, type) => out({ t: 'desc', sdp, type }));
        pc.onLocalCandidate((cand, mid) => out({ t: 'cand', cand, mid }));
        pc.onDataChannel((dc) => {
          channels.push(dc);
          if (dc.getLabel() === 'echo') {
            dc.onMessage((msg) => {
              if (typeof msg === 'string') dc.sendMessage(msg);
              else dc.sendMessageBinary(Buffer.isBuffer(msg) ? msg : Buffer.from(msg));
            });
          } else {
            let expect = 0;
            let count = 0;
            dc.onMessage((msg) => {
              if (typeof msg === 'string') {
                expect = Number((JSON.parse(msg) as Json).expect);
                count = 0;
                return;
              }
              count += msg.byteLength;
              if (expect > 0 && count >= expect) {
                dc.sendMessage(JSON.stringify({ ack: count }));
                expect = 0;
              }
            });
          }
        });
      }
      pc.setRemoteDescription(String(m.sdp), m.type as 'offer');
    } else if (m.t === 'ack') {
      acked = true;
      for (const c of pendingCandidates.splice(0)) pc?.addRemoteCandidate(c.cand, c.mid);
    } else if (m.t === 'cand') {
      if (pc && acked) pc.addRemoteCandidate(String(m.cand), String(m.mid));
      else pendingCandidates.push({ cand: String(m.cand), mid: String(m.mid) });
    }
  });
  out({ t: 'ready' });
}

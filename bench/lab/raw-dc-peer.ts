/**
 * A raw node-datachannel peer for the lab bench (`node raw-dc-peer.js offer|answer
 * SETTINGS_JSON STUN_URL`), run inside a lab namespace: signalling is JSON lines on
 * stdin/stdout, relayed by the bench between the two peers. SETTINGS_JSON is
 * passed to setSctpSettings unless it is `{}` (stock libdatachannel). The offerer
 * opens one channel; `{"send": SECS}` on its stdin makes it send 256 KiB messages
 * for SECS seconds (paced by bufferedAmount, 1 MiB high water as the tunnel), then
 * 'done'; the answerer prints {"result": {bytes, secs}} from the first message to
 * 'done'. Bounded: exits after 10 minutes whatever happens.
 */
import nodeDataChannel, { type DataChannel } from 'node-datachannel';
import { createInterface } from 'node:readline';

const [role, settingsJson, stun] = process.argv.slice(2);
const out = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const settings = JSON.parse(settingsJson ?? '{}') as Record<string, number>;
if (Object.keys(settings).length) nodeDataChannel.setSctpSettings(settings);
nodeDataChannel.initLogger('Error', () => {});
setTimeout(() => process.exit(2), 600_000).unref();

const HIGH = 1024 * 1024;
const keep: DataChannel[] = [];
const pc = new nodeDataChannel.PeerConnection(role!, { iceServers: stun ? [stun] : [] });
pc.onLocalDescription((sdp, type) => out({ sdp, type }));
pc.onLocalCandidate((c, mid) => out({ c, mid }));
const hold = setInterval(() => {}, 1000); // native handles do not keep the loop alive

let dc: DataChannel | undefined;
const MSG = Buffer.alloc(256 * 1024, 7);
let sendUntil = 0;
let pumping = false;
/** Send until sendUntil, then 'done' once (a later {send} starts another run). */
function pump(): void {
  if (!dc || !sendUntil) return;
  while (dc.bufferedAmount() < HIGH) {
    if (performance.now() > sendUntil) {
      sendUntil = 0;
      dc.sendMessage('done');
      return;
    }
    dc.sendMessageBinary(MSG);
  }
}
if (role === 'offer') {
  dc = pc.createDataChannel('bulk');
  keep.push(dc);
  dc.onOpen(() => out({ open: true }));
} else {
  pc.onDataChannel((ch) => {
    keep.push(ch);
    let bytes = 0;
    let t0 = 0;
    ch.onMessage((m) => {
      if (typeof m === 'string') {
        out({ result: { bytes, secs: (performance.now() - t0) / 1000 } });
        bytes = 0;
        t0 = 0;
        return;
      }
      if (!t0) t0 = performance.now();
      bytes += (m as Buffer).length;
    });
    out({ open: true });
  });
}

createInterface({ input: process.stdin }).on('line', (l) => {
  const m = JSON.parse(l) as { sdp?: string; type?: string; c?: string; mid?: string; send?: number; quit?: boolean };
  if (m.sdp) pc.setRemoteDescription(m.sdp, m.type as 'offer' | 'answer');
  else if (m.c) pc.addRemoteCandidate(m.c, m.mid ?? '0');
  else if (m.quit) {
    clearInterval(hold);
    pc.close();
    process.exit(0);
  } else if (m.send !== undefined && dc) {
    sendUntil = performance.now() + m.send * 1000;
    if (!pumping) {
      pumping = true;
      dc.setBufferedAmountLowThreshold(HIGH / 4);
      dc.onBufferedAmountLow(pump);
    }
    pump();
  }
});

/**
 * A raw node-datachannel peer for the lab bench, run inside a lab namespace:
 *   node raw-dc-peer.js offer|answer SETTINGS_JSON ICE_SERVER [OPTIONS_JSON]
 * Signalling is JSON lines on stdin/stdout, relayed by the bench between the two
 * peers. SETTINGS_JSON goes to setSctpSettings unless it is `{}` (libdatachannel's
 * stock settings). OPTIONS_JSON (offerer): {channels, msgKib, highKib}: how many
 * channels share the association, the message size and the bufferedAmount high
 * water of each (defaults 1, 256 KiB, 1024 KiB: the tunnel's MAX_CHUNK and
 * HIGH_WATER); `relay: 1` (both roles) makes ICE use relayed candidates only. ICE_SERVER
 * is a STUN URL or a TURN server as JSON ({hostname, port, username, password}). `{"send": true}` on the offerer's stdin starts sending on every
 * channel until the process is stopped; the answerer prints {"progress": bytes}
 * every 100 ms once bytes arrive, so the bench takes the rate over a window of
 * its own (no drain of queued bytes at the end); the offerer prints {"srtt": ms}
 * (SCTP's smoothed RTT) every 100 ms while it sends. Bounded: exits after 10 minutes.
 */
import nodeDataChannel, { type DataChannel } from 'node-datachannel';
import { createInterface } from 'node:readline';

const [role, settingsJson, stun, optionsJson] = process.argv.slice(2);
const out = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const settings = JSON.parse(settingsJson ?? '{}') as Record<string, number>;
const opts = { channels: 1, msgKib: 256, highKib: 1024, relay: 0, ...(JSON.parse(optionsJson ?? '{}') as Record<string, number>) };
if (Object.keys(settings).length) nodeDataChannel.setSctpSettings(settings);
nodeDataChannel.initLogger('Error', () => {});
setTimeout(() => process.exit(2), 600_000).unref();
const hold = setInterval(() => {}, 1000); // native handles do not keep the loop alive

const keep: DataChannel[] = [];
const ice = stun?.startsWith('{') ? { ...(JSON.parse(stun) as { hostname: string; port: number; username: string; password: string }), relayType: 'TurnUdp' as const } : stun;
const pc = new nodeDataChannel.PeerConnection(role!, { iceServers: ice ? [ice] : [], ...(opts.relay ? { iceTransportPolicy: 'relay' as const } : {}) });
pc.onLocalDescription((sdp, type) => out({ sdp, type }));
pc.onLocalCandidate((c, mid) => out({ c, mid }));

const HIGH = opts.highKib * 1024;
const MSG = Buffer.alloc(opts.msgKib * 1024, 7);
let sending = false;
const pump = (dc: DataChannel): void => {
  while (sending && dc.bufferedAmount() < HIGH) dc.sendMessageBinary(MSG);
};

if (role === 'offer') {
  let open = 0;
  for (let i = 0; i < opts.channels; i++) {
    const dc = pc.createDataChannel(`bulk${i}`);
    keep.push(dc);
    dc.setBufferedAmountLowThreshold(HIGH / 4);
    dc.onBufferedAmountLow(() => pump(dc));
    dc.onOpen(() => {
      if (++open === opts.channels) out({ open: true });
    });
  }
} else {
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  pc.onDataChannel((ch) => {
    keep.push(ch);
    ch.onMessage((m) => {
      bytes += typeof m === 'string' ? 0 : (m as Buffer).length;
      timer ??= setInterval(() => out({ progress: bytes }), 100);
    });
    out({ open: true });
  });
}

createInterface({ input: process.stdin }).on('line', (l) => {
  const m = JSON.parse(l) as { sdp?: string; type?: string; c?: string; mid?: string; send?: boolean; quit?: boolean };
  if (m.sdp) pc.setRemoteDescription(m.sdp, m.type as 'offer' | 'answer');
  else if (m.c) pc.addRemoteCandidate(m.c, m.mid ?? '0');
  else if (m.send) {
    sending = true;
    for (const dc of keep) pump(dc);
    // SCTP's smoothed RTT as the sender sees it (libdatachannel's rtt(): usrsctp's srtt), every 100 ms.
    setInterval(() => out({ srtt: pc.rtt() }), 100).unref();
  } else if (m.quit) {
    clearInterval(hold);
    process.exit(0);
  }
});

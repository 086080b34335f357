/**
 * PeerSession in one process, two sessions wired to each other (no signal
 * server): the first stream channel, opened the moment the session reports
 * connected by the offerer, must open on both sides. Regression test
 * for a libdatachannel race: when SCTP comes up it reports "connected" and then,
 * as a separate queued task, sends a DCEP OPEN for every channel not yet open; a
 * channel created from the "connected" handler could be opened twice (once by
 * createDataChannel, once by that task), and the peer then logged "Got open
 * message on already used stream N" and closed it (19 of 100 raw pairs here).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataChannel } from 'node-datachannel';
import { Identity } from '../identity/keys.js';
import type { PeerInfo, SignalPayload } from '../protocol/messages.js';
import { createLogger } from '../util/log.js';
import { PeerSession } from './session.js';

const quiet = createLogger('test', () => undefined);
const info = (id: Identity, name: string): PeerInfo => ({ peerId: id.peerId, name, publicKey: id.publicKey });

async function pairOnce(a: Identity, b: Identity): Promise<'ok' | string> {
  let offerer: PeerSession | undefined;
  let answerer: PeerSession | undefined;
  const toAnswerer = (p: SignalPayload): boolean => {
    setImmediate(() => {
      if (p.kind === 'offer') {
        answerer = new PeerSession({ identity: b, remote: info(a, 'a'), role: 'answerer', sessionId: p.sessionId, iceServers: [], bindAddress: '127.0.0.1', sendSignal: toOfferer, log: quiet });
        answerer.on('channel', (dc) => incoming.push(dc));
        answerer.handleDescription(p);
      } else if (p.kind === 'candidate') answerer?.handleCandidate(p.candidate, p.mid);
      else if (p.kind === 'ack') answerer?.handleAck();
    });
    return true;
  };
  const toOfferer = (p: SignalPayload): boolean => {
    setImmediate(() => {
      if (p.kind === 'answer') offerer!.handleDescription(p);
      else if (p.kind === 'candidate') offerer!.handleCandidate(p.candidate, p.mid);
    });
    return true;
  };
  const incoming: DataChannel[] = [];
  offerer = new PeerSession({ identity: a, remote: info(b, 'b'), role: 'offerer', iceServers: [], bindAddress: '127.0.0.1', sendSignal: toAnswerer, log: quiet });
  try {
    await offerer.whenConnected();
    const dc = offerer.openChannel('tcp/echo', 'p2prc-tunnel');
    return await new Promise<string>((resolve) => {
      const t = setTimeout(() => resolve(`channel did not open (open: ${dc.isOpen()}, arrived: ${incoming.length})`), 3000);
      dc.onClosed(() => {
        clearTimeout(t);
        resolve('channel closed by the transport');
      });
      dc.onOpen(() => {
        // Give a collision time to show: the peer resets the stream right after.
        setTimeout(() => {
          clearTimeout(t);
          resolve(dc.isOpen() && incoming.some((c) => c.getLabel() === 'tcp/echo') ? 'ok' : `closed after opening (arrived: ${incoming.length})`);
        }, 100);
      });
    });
  } finally {
    offerer.close();
    answerer?.close();
  }
}

describe('peer session', () => {
  // Only the offerer (connect) opens streams; an answerer opening the first stream at
  // "connected" still meets the race (about 1 in 40 here), left for a later change.
  it('opens the first stream channel the moment it reports connected, every time (offerer opens)', { timeout: 120_000 }, async () => {
    const a = Identity.generate();
    const b = Identity.generate();
    const results: string[] = [];
    for (let i = 0; i < 40; i++) results.push(await pairOnce(a, b));
    const bad = results.filter((r) => r !== 'ok');
    assert.deepEqual(bad, [], `${bad.length} of ${results.length} first channels failed`);
  });
});

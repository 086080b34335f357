/**
 * The browser page's protocol code (signal-server/web/app, compiled for the
 * browser) against the Node peer's, in Node: the bytes each side signs, the
 * SDP edits, the tunnel frames, and each side verifying what the other
 * signed (Node's WebCrypto does Ed25519 too). The browser suite checks the
 * same end to end in Chromium; this one says which rule differs when they part.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.js';
import { canonicalDescription, signDescription, verifyDescription } from '../src/identity/signed-description.js';
import { Identity } from '../src/identity/keys.js';
import { registerChallenge, type DescriptionPayload, type PeerInfo } from '../src/protocol/messages.js';
import { decodeFrame } from '../src/tunnel/frames.js';
import { dtlsClientOffer, relayOnlySdp } from '../src/peer/ice.js';
import { xorshift32 } from '../src/util/xorshift.js';

/** What the test uses of the browser modules (they are compiled with the DOM library, apart from this project). */
interface BrowserProtocol {
  registerChallenge(nonce: string, name: string): Uint8Array;
  canonicalDescription(d: { kind: string; sessionId: string; from: string; to: string; sdp: string; ts: number; relayOnly?: boolean }): Uint8Array;
  verifyDescription(ed: unknown, p: DescriptionPayload, from: PeerInfo, to: string, idOf: (raw: Uint8Array) => Promise<string>, now?: number): Promise<{ ok: boolean; reason?: string }>;
  dtlsClientOffer(sdp: string): string;
  relayOnlySdp(sdp: string): string;
  sendableCandidate(line: string, relayOnly: boolean): boolean;
  decodeFrame(text: string): unknown;
}
interface BrowserIdentityModule {
  ed25519(force?: 'webcrypto' | 'noble'): Promise<{ provider: string; sha256(d: Uint8Array): Promise<Uint8Array> }>;
  peerIdOf(ed: unknown, raw: Uint8Array): Promise<string>;
}
interface BrowserHttp {
  parseResponse(raw: Uint8Array): { status: number; statusText: string; headers: Map<string, string>; body: Uint8Array };
}

const app = (m: string): Promise<unknown> => import(pathToFileURL(join(ROOT, 'dist', 'signal-server', 'web', 'app', `${m}.js`)).href);
const proto = (await app('protocol')) as BrowserProtocol;
const ident = (await app('identity')) as BrowserIdentityModule;
const http = (await app('http')) as BrowserHttp;

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:actpass\r\n' +
  'a=candidate:1 1 udp 2113937151 192.0.2.2 5000 typ host\r\na=candidate:2 1 udp 16777215 203.0.113.1 6000 typ relay raddr 0.0.0.0 rport 0\r\na=fingerprint:sha-256 AB:CD\r\n';

describe('browser protocol code agrees with the Node peer', () => {
  it('signs the same bytes: register challenge and descriptions (random fields, non-ASCII SDP)', () => {
    assert.deepEqual(Buffer.from(proto.registerChallenge('n0nce-1234567890ab', 'alice')), registerChallenge('n0nce-1234567890ab', 'alice'));
    const rnd = xorshift32(7);
    for (let i = 0; i < 200; i++) {
      const sdp = SDP + `a=x-note:${'é€😀'.repeat(rnd() % 5)}${rnd()}\r\n`;
      const d = { kind: i % 2 ? 'offer' : 'answer', sessionId: `s${rnd().toString(36)}xxxxxxxx`, from: 'a'.repeat(40), to: 'b'.repeat(40), sdp, ts: rnd(), relayOnly: i % 3 === 0 } as const;
      assert.deepEqual(Buffer.from(proto.canonicalDescription(d)), canonicalDescription(d), `case ${i}`);
    }
  });

  it('edits SDP the same way (DTLS client role, relay only) and drops mDNS host candidates', () => {
    assert.equal(proto.dtlsClientOffer(SDP), dtlsClientOffer(SDP));
    assert.equal(proto.relayOnlySdp(SDP), relayOnlySdp(SDP));
    assert.equal(proto.sendableCandidate('candidate:1 1 udp 2113937151 3b1c6c2a-1111-4444-8888-0123456789ab.local 55406 typ host generation 0', false), false);
    assert.equal(proto.sendableCandidate('candidate:1 1 udp 2113937151 192.0.2.2 55406 typ host generation 0', false), true);
    assert.equal(proto.sendableCandidate('candidate:1 1 udp 2113937151 192.0.2.2 55406 typ host generation 0', true), false);
    assert.equal(proto.sendableCandidate('candidate:2 1 udp 16777215 203.0.113.1 6000 typ relay raddr 0.0.0.0 rport 0', true), true);
    assert.equal(proto.sendableCandidate('garbage', false), false);
  });

  it('reads the tunnel control frames as the Node side does', () => {
    const frames = ['{"t":"credit","n":524288}', '{"t":"fin"}', '{"t":"done"}', '{"t":"rst","reason":"x"}', '{"t":"rst"}', '{"t":"err","code":"unknown-service","message":"m"}'];
    for (const f of frames) assert.deepEqual(proto.decodeFrame(f), decodeFrame(f), f);
    for (const bad of ['{"t":"credit","n":0}', '{"t":"credit","n":1.5}', '{"t":"credit"}', '{"t":"nope"}', 'not json', '[]', 'null', '{"t":"err","code":1}', 'x'.repeat(5000)]) {
      assert.equal(proto.decodeFrame(bad), undefined, bad);
      assert.equal(decodeFrame(bad), undefined, bad);
    }
  });

  it('each side verifies what the other signed; a swapped fingerprint is refused with the same reason', async () => {
    const node = Identity.generate();
    const to = 'c'.repeat(40);
    const ed = await ident.ed25519('webcrypto');
    assert.equal(ed.provider, 'webcrypto');
    const nodeInfo: PeerInfo = { peerId: node.peerId, name: 'node', publicKey: node.publicKey };
    assert.equal(await ident.peerIdOf(ed, node.publicKeyRaw), node.peerId, 'the same peer id from the same key');
    const signed = signDescription(node, { kind: 'answer', sessionId: 'session-0001', to, sdp: SDP, ts: Date.now() });
    assert.deepEqual(await proto.verifyDescription(ed, signed, nodeInfo, to, (raw) => ident.peerIdOf(ed, raw)), { ok: true });
    const tampered = { ...signed, sdp: signed.sdp.replace('AB:CD', 'CD:AB') };
    const browserSays = await proto.verifyDescription(ed, tampered, nodeInfo, to, (raw) => ident.peerIdOf(ed, raw));
    const nodeSays = verifyDescription(tampered, nodeInfo, to);
    assert.equal(browserSays.ok, false);
    assert.equal(nodeSays.ok, false);
    assert.equal(browserSays.reason, (nodeSays as { reason: string }).reason);
    // A key that is not the peer id's: a server that sent another key.
    const other = Identity.generate();
    const wrongKey = await proto.verifyDescription(ed, signed, { ...nodeInfo, publicKey: other.publicKey }, to, (raw) => ident.peerIdOf(ed, raw));
    assert.match(String(wrongKey.reason), /key does not match its peer id/);

    // The other way: what browser code signs (WebCrypto), the Node peer accepts.
    const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
    const browserId = await ident.peerIdOf(ed, raw);
    const d = { kind: 'offer', sessionId: 'session-0002', from: browserId, to: node.peerId, sdp: proto.dtlsClientOffer(SDP), ts: Date.now(), relayOnly: true } as const;
    const sig = Buffer.from(await webcrypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, proto.canonicalDescription(d))).toString('base64');
    const payload: DescriptionPayload = { kind: 'offer', sessionId: d.sessionId, sdp: d.sdp, ts: d.ts, signature: sig, relayOnly: true };
    assert.deepEqual(verifyDescription(payload, { peerId: browserId, publicKey: Buffer.from(raw).toString('base64') }, node.peerId), { ok: true });
    // Dropping the signed relay-only flag breaks the signature.
    assert.equal(verifyDescription({ ...payload, relayOnly: undefined }, { peerId: browserId, publicKey: Buffer.from(raw).toString('base64') }, node.peerId).ok, false);
  });

  it('parses HTTP responses: Content-Length, chunked, to the end, and refuses what is not HTTP', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    const cl = http.parseResponse(enc('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA'));
    assert.equal(cl.status, 200);
    assert.equal(cl.headers.get('content-type'), 'text/plain');
    assert.equal(Buffer.from(cl.body).toString(), 'hello');
    const ch = http.parseResponse(enc('HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n'));
    assert.equal(ch.status, 404);
    assert.equal(ch.statusText, 'Not Found');
    assert.equal(Buffer.from(ch.body).toString(), 'hello world');
    assert.equal(Buffer.from(http.parseResponse(enc('HTTP/1.0 200 OK\r\n\r\nuntil close')).body).toString(), 'until close');
    assert.throws(() => http.parseResponse(enc('SSH-2.0-OpenSSH\r\n\r\n')), /not an HTTP response/);
    assert.throws(() => http.parseResponse(enc('HTTP/1.1 200 OK\r\nContent-Length: 5')), /no end of headers/);
    assert.throws(() => http.parseResponse(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel')), /chunked body cut short|bad chunk/);
  });
});

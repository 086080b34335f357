#!/usr/bin/env node
/**
 * Dev tool (not part of the library): records the first STUN requests that
 * real clients send, for src/stun/vectors.test.ts. Loopback only.
 *
 *   npx tsc -p . && node src/stun/tools/capture-vectors.mjs
 *
 * Needs `stun` (Debian package stun-client) and `turnutils_stunclient`,
 * `turnutils_uclient` (package coturn). Listens on 127.0.0.1, answers the
 * first unauthenticated TURN Allocate with 401 + REALM/NONCE so the client
 * sends its authenticated Allocate too, and prints every datagram as hex.
 * Each client runs under `timeout`, so every process started here ends.
 */
import { createSocket } from 'node:dgram';
import { spawn } from 'node:child_process';
import * as S from '../../../dist/src/stun/index.js';

const REALM = 'capture.test';
const NONCE = '0123456789abcdef';

const KEY = S.longTermKey('user', REALM, 'pass');

/** Answers like a minimal STUN/TURN server would, so the clients go on to their next requests. */
function answer(sock, msg, rinfo, log) {
  if (!S.isStunMessage(msg)) return;
  const m = S.decodeMessage(msg);
  if (m.cls !== S.StunClass.Request) return;
  const client = { family: 'IPv4', address: rinfo.address, port: rinfo.port };
  const send = (res, opts) => sock.send(S.encodeMessage(res, opts), rinfo.port, rinfo.address);
  if (m.method === S.Method.Binding) {
    send(
      S.buildSuccess(m, [
        S.attr(S.Attr.XorMappedAddress, S.encodeXorAddress(client, m.transactionId)),
        S.attr(S.Attr.MappedAddress, S.encodeAddress(client)),
        S.attr(S.Attr.ResponseOrigin, S.encodeAddress(sock.address())),
        S.attr(S.Attr.OtherAddress, S.encodeAddress({ family: 'IPv4', address: '127.0.0.1', port: sock.address().port + 1 })),
        S.attr(S.Attr.Software, S.encodeSoftware('p2prc capture')),
      ]),
      { fingerprint: true },
    );
    return;
  }
  if (!S.getAttribute(m, S.Attr.MessageIntegrity)) {
    const err = S.buildError(m, 401, undefined, [S.attr(S.Attr.Realm, S.encodeRealm(REALM)), S.attr(S.Attr.Nonce, S.encodeNonce(NONCE))]);
    send(err, { fingerprint: true });
    return;
  }
  log.push(`  integrity of ${S.methodName(m.method)} with longTermKey('user', '${REALM}', 'pass'): ${S.verifyMessageIntegrity(msg, KEY)}`);
  const attrs = [];
  if (m.method === S.Method.Allocate) {
    attrs.push(
      S.attr(S.Attr.XorRelayedAddress, S.encodeXorAddress({ family: 'IPv4', address: '127.0.0.1', port: 49999 }, m.transactionId)),
      S.attr(S.Attr.XorMappedAddress, S.encodeXorAddress(client, m.transactionId)),
      S.attr(S.Attr.Lifetime, S.encodeLifetime(600)),
    );
  }
  send(S.buildSuccess(m, attrs), { integrityKey: KEY, fingerprint: true });
}

function listen() {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const seen = [];
    const log = [];
    sock.on('message', (msg, rinfo) => {
      seen.push(Buffer.from(msg));
      try {
        answer(sock, msg, rinfo, log);
      } catch (e) {
        log.push(`  answer failed: ${e}`);
      }
    });
    sock.bind(0, '127.0.0.1', () => resolve({ sock, seen, log, port: sock.address().port }));
  });
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn('timeout', ['4', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => resolve(out));
    child.on('error', (e) => resolve(String(e)));
  });
}

const clients = [
  ['stun', (port) => [`127.0.0.1:${port}`, '-v']],
  ['turnutils_stunclient', (port) => ['-p', String(port), '127.0.0.1']],
  ['turnutils_stunclient', (port) => ['-f', '-p', String(port), '127.0.0.1']],
  ['turnutils_uclient', (port) => ['-y', '-n', '1', '-u', 'user', '-w', 'pass', '-p', String(port), '127.0.0.1']],
];

for (const [cmd, args] of clients) {
  const { sock, seen, log, port } = await listen();
  const out = await run(cmd, args(port));
  sock.close();
  console.log(`== ${cmd} ${args(port).join(' ')}: ${seen.length} datagram(s)`);
  if (process.env.VERBOSE) console.log(out);
  console.log(log.join('\n'));
  // First datagram of each kind (method/class/attribute list, ChannelData, other).
  const kinds = new Set();
  for (const b of seen) {
    let desc = 'not STUN (RFC 5389+) nor ChannelData';
    if (S.isStunMessage(b)) {
      const m = S.decodeMessage(b);
      desc = `${S.methodName(m.method)} ${S.className(m.cls)} [${m.attributes.map((a) => S.attrName(a.type)).join(', ')}]`;
    } else if (S.isChannelData(b)) {
      desc = `ChannelData 0x${b.readUInt16BE(0).toString(16)} (${b.length} bytes)`;
    }
    if (kinds.has(desc)) continue;
    kinds.add(desc);
    console.log(`${desc}\n${b.toString('hex')}`);
  }
}

/**
 * Test harness for UDP sessions (no tests of its own): two real PeerSessions in
 * one process wired to each other on loopback (no signal server, as in
 * session.test.ts), a stand-in PeerNode that hands the answerer's channels to a
 * real Exposer, a UDP echo service and UDP clients on 127.0.0.1. Named
 * *.test.ts because it is test code beside the tests that use it.
 */
import { EventEmitter, once } from 'node:events';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import { Identity } from '../identity/keys.js';
import { MappingLog } from '../mapping/log.js';
import type { PeerNode } from '../peer/node.js';
import type { PublishedService } from '../protocol/messages.js';
import { PeerSession } from '../peer/session.js';
import type { PeerInfo, SignalPayload } from '../protocol/messages.js';
import { createLogger, type Logger } from '../util/log.js';

const quiet = createLogger('test', () => undefined);
const info = (id: Identity, name: string): PeerInfo => ({ peerId: id.peerId, name, publicKey: id.publicKey });

/** Offerer (the proxy's side: opens channels) and answerer (the exposing peer), connected. */
export async function sessionPair(onChannel: (answerer: PeerSession, dc: DataChannel) => void): Promise<{ offerer: PeerSession; answerer: PeerSession; close(): void }> {
  const a = Identity.generate();
  const b = Identity.generate();
  let answerer: PeerSession | undefined;
  const toAnswerer = (p: SignalPayload): boolean => {
    setImmediate(() => {
      if (p.kind === 'offer') {
        answerer = new PeerSession({ identity: b, remote: info(a, 'proxy'), role: 'answerer', sessionId: p.sessionId, iceServers: [], bindAddress: '127.0.0.1', sendSignal: toOfferer, log: quiet });
        const s = answerer;
        s.on('channel', (dc) => onChannel(s, dc));
        s.handleDescription(p);
      } else if (p.kind === 'candidate') answerer?.handleCandidate(p.candidate, p.mid);
      else if (p.kind === 'ack') answerer?.handleAck();
    });
    return true;
  };
  const toOfferer = (p: SignalPayload): boolean => {
    setImmediate(() => {
      if (p.kind === 'answer') offerer.handleDescription(p);
      else if (p.kind === 'candidate') offerer.handleCandidate(p.candidate, p.mid);
    });
    return true;
  };
  const offerer = new PeerSession({ identity: a, remote: info(b, 'bob'), role: 'offerer', iceServers: [], bindAddress: '127.0.0.1', sendSignal: toAnswerer, log: quiet });
  const close = (): void => {
    offerer.close();
    answerer?.close();
  };
  try {
    await offerer.whenConnected();
    if (!answerer) throw new Error('no answerer');
    await answerer.whenConnected();
  } catch (err) {
    close();
    throw err;
  }
  return { offerer, answerer, close };
}

export interface FakeNode {
  node: PeerNode;
  logs: string[];
  mapping: MappingLog;
  /** Hand an incoming channel to the Exposer, as PeerNode does. */
  stream(session: PeerSession, dc: DataChannel): void;
  /** What the Exposer published to the signal server (`services`), last first. */
  published: PublishedService[][];
  cleanup(): void;
}

/** What Exposer uses of a PeerNode: `stream` events, name, log, mapping log (in a temp dir). */
export function fakeNode(name: string): FakeNode {
  const dir = mkdtempSync(join(tmpdir(), 'p2prc-udp-'));
  const logs: string[] = [];
  const log = createLogger(`peer:${name}`, (line) => logs.push(line));
  const mapping = new MappingLog(dir);
  const published: PublishedService[][] = [];
  const signal = { publishServices: (list: PublishedService[]) => published.unshift(list) };
  const node = Object.assign(new EventEmitter(), { name, log, mapping, signal }) as unknown as PeerNode;
  return {
    node,
    logs,
    mapping,
    published,
    stream: (session, dc) => node.emit('stream', session, dc),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function captureLog(name: string): { log: Logger; logs: string[] } {
  const logs: string[] = [];
  return { log: createLogger(name, (line) => logs.push(line)), logs };
}

/** A UDP echo service on 127.0.0.1: answers each datagram with `echo:` + the datagram, to its sender. */
export async function udpEcho(): Promise<{ port: number; sources: Set<string>; received: number; close(): Promise<void> }> {
  const sock = createSocket('udp4');
  const state = {
    port: 0,
    sources: new Set<string>(),
    received: 0,
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
  sock.on('message', (msg, rinfo) => {
    state.received++;
    state.sources.add(`${rinfo.address}:${rinfo.port}`);
    sock.send(Buffer.concat([Buffer.from('echo:'), msg]), rinfo.port, rinfo.address);
  });
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  state.port = (sock.address() as AddressInfo).port;
  return state;
}

/** A UDP client on 127.0.0.1 that records what comes back. */
export class UdpTestClient {
  readonly received: Buffer[] = [];
  readonly senders = new Set<string>();
  private readonly events = new EventEmitter();
  private constructor(readonly sock: Socket) {
    sock.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      this.received.push(msg);
      this.senders.add(`${rinfo.address}:${rinfo.port}`);
      this.events.emit('message');
    });
  }
  static async open(): Promise<UdpTestClient> {
    const sock = createSocket('udp4');
    sock.bind(0, '127.0.0.1');
    await once(sock, 'listening');
    return new UdpTestClient(sock);
  }
  get port(): number {
    return (this.sock.address() as AddressInfo).port;
  }
  send(data: string | Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.sock.send(data, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }
  /** Resolves once `n` datagrams in all have come back; rejects after `ms`. */
  async receivedCount(n: number, ms = 5000): Promise<Buffer[]> {
    const deadline = Date.now() + ms;
    while (this.received.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`client ${this.port}: ${this.received.length} of ${n} datagrams came back`);
      await Promise.race([once(this.events, 'message'), new Promise((r) => setTimeout(r, left).unref())]);
    }
    return this.received;
  }
  close(): void {
    try {
      this.sock.close();
    } catch {
      /* closed */
    }
  }
}

/**
 * An address with nothing listening: 127.0.0.2 at a port held on 127.0.0.1, so
 * no other socket (a wildcard bind included) can take that port while the test runs.
 */
export async function deadUdpTarget(): Promise<{ host: string; port: number; close(): void }> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  return { host: '127.0.0.2', port: (s.address() as AddressInfo).port, close: () => s.close() };
}

/**
 * A one-way UDP service on 127.0.0.1: swallows every datagram, except `tick:N:MS`,
 * which it answers with N datagrams `tick0`.. one every MS ms (traffic in one direction only).
 */
export async function udpTicker(): Promise<{ port: number; received: number; close(): Promise<void> }> {
  const sock = createSocket('udp4');
  const timers = new Set<NodeJS.Timeout>();
  const state = {
    port: 0,
    received: 0,
    close: () => {
      for (const t of timers) clearTimeout(t);
      return new Promise<void>((r) => sock.close(() => r()));
    },
  };
  sock.on('message', (msg, rinfo) => {
    state.received++;
    const m = /^tick:(\d{1,2}):(\d{1,4})$/.exec(msg.toString());
    if (!m) return;
    for (let k = 0; k < Number(m[1]); k++) {
      const t = setTimeout(() => {
        timers.delete(t);
        sock.send(`tick${k}`, rinfo.port, rinfo.address);
      }, (k + 1) * Number(m[2]));
      timers.add(t);
    }
  });
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  state.port = (sock.address() as AddressInfo).port;
  return state;
}

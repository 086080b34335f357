import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DatagramQueue, MAX_CHANNEL_BUFFERED, MAX_DATAGRAM, OncePerInterval, UDP_CHANNEL_INIT, UDP_DROP_REASONS, asBuffer, clientKey, noDrops } from './udp-datagrams.js';
import { readChannelMessage, sendDatagram } from './udp-channel.js';
import type { DataChannel } from 'node-datachannel';
import { encodeFrame } from './frames.js';

describe('udp datagrams (pure parts)', () => {
  it('queues in order up to its datagram bound, drains empty', () => {
    const q = new DatagramQueue(3, 1000);
    for (let i = 0; i < 3; i++) assert.equal(q.push(Buffer.from([i])), true);
    assert.equal(q.push(Buffer.from([9])), false);
    assert.equal(q.length, 3);
    assert.deepEqual(q.drain().map((b) => b[0]), [0, 1, 2]);
    assert.equal(q.length, 0);
    assert.equal(q.bytes, 0);
    assert.equal(q.push(Buffer.from([7])), true);
  });
  it('bounds the queue in bytes: a datagram that would pass the bound is refused, smaller ones still fit', () => {
    const q = new DatagramQueue(100, 10);
    assert.equal(q.push(Buffer.alloc(6)), true);
    assert.equal(q.push(Buffer.alloc(5)), false);
    assert.equal(q.push(Buffer.alloc(4)), true);
    assert.equal(q.bytes, 10);
    assert.equal(q.push(Buffer.alloc(0)), true, 'an empty datagram is a datagram');
    assert.equal(q.push(Buffer.alloc(1)), false);
  });
  it('defaults to 64 datagrams / 256 KiB', () => {
    const q = new DatagramQueue();
    assert.equal(q.maxDatagrams, 64);
    assert.equal(q.maxBytes, 256 * 1024);
  });
  it('lets one event per interval through and counts the ones it held', () => {
    let t = 0;
    const g = new OncePerInterval(1000, () => t);
    assert.equal(g.pass(), 0);
    assert.equal(g.pass(), undefined);
    t = 999;
    assert.equal(g.pass(), undefined);
    t = 1000;
    assert.equal(g.pass(), 2);
    t = 1500;
    assert.equal(g.pass(), undefined);
    t = 5000;
    assert.equal(g.pass(), 1);
  });
  it('keys clients by address and port, IPv6 in brackets', () => {
    assert.equal(clientKey('192.0.2.1', 53), '192.0.2.1:53');
    assert.equal(clientKey('::1', 53), '[::1]:53');
    assert.notEqual(clientKey('192.0.2.1', 53), clientKey('192.0.2.1', 54));
  });
  it('has every drop reason at zero, and the unordered unreliable channel settings', () => {
    const d = noDrops();
    assert.deepEqual(Object.keys(d), [...UDP_DROP_REASONS]);
    assert.ok(Object.values(d).every((n) => n === 0));
    assert.deepEqual({ ...UDP_CHANNEL_INIT }, { unordered: true, maxRetransmits: 0 });
  });
  it('reads channel messages: binary is a datagram, err is a frame, other text is junk', () => {
    const ab = new Uint8Array([1, 2, 3]).buffer;
    assert.deepEqual(asBuffer(ab), Buffer.from([1, 2, 3]));
    assert.deepEqual(readChannelMessage(Buffer.from('hi')), { datagram: Buffer.from('hi') });
    assert.deepEqual(readChannelMessage(ab), { datagram: Buffer.from([1, 2, 3]) });
    assert.deepEqual(readChannelMessage(encodeFrame({ t: 'err', code: 'unknown-service', message: 'm' })), { frame: { t: 'err', code: 'unknown-service', message: 'm' } });
    assert.deepEqual(readChannelMessage('not a frame'), { junk: 'not a frame' });
  });
  it('sends a datagram as one message, or says why it dropped it', () => {
    const sent: number[] = [];
    let buffered = 0;
    let closed = false;
    const dc = {
      bufferedAmount: () => buffered,
      sendMessageBinary: (b: Buffer) => {
        if (closed) throw new Error('DataChannel is closed');
        sent.push(b.length);
        return true;
      },
    } as unknown as DataChannel;
    assert.equal(sendDatagram(dc, Buffer.alloc(MAX_DATAGRAM)), undefined);
    assert.equal(sendDatagram(dc, Buffer.alloc(MAX_DATAGRAM + 1)), 'too-large');
    buffered = MAX_CHANNEL_BUFFERED + 1;
    assert.equal(sendDatagram(dc, Buffer.alloc(10)), 'congested');
    buffered = 0;
    closed = true;
    assert.equal(sendDatagram(dc, Buffer.alloc(10)), 'send-error');
    assert.deepEqual(sent, [MAX_DATAGRAM]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsWatch, SetupPhases, formatPhases } from './setup-phases.js';

describe('setup phases', () => {
  it('times the offerer\'s phases between consecutive marks, adding up to the total', () => {
    const p = new SetupPhases(1000, () => 0);
    p.mark('resolved', 1010);
    p.mark('offerSent', 1012);
    p.mark('localCandidate', 1013);
    p.mark('answerReceived', 1062);
    p.mark('iceConnected', 1120);
    p.mark('dtlsConnected', 1220);
    p.mark('connected', 1300);
    p.mark('controlOpen', 1350);
    p.mark('streamAsked', 1005); // the TCP client came early: the stream waited for the session
    p.mark('streamOpen', 1400);
    p.mark('firstByte', 1451);
    const r = p.report();
    assert.deepEqual(
      { lookup: r.lookupMs, prep: r.prepMs, signal: r.signalMs, ice: r.iceMs, dtls: r.dtlsMs, sctp: r.sctpMs, control: r.controlMs, stream: r.streamMs, firstByte: r.firstByteMs, total: r.totalMs },
      { lookup: 10, prep: 2, signal: 50, ice: 58, dtls: 100, sctp: 80, control: 50, stream: 50, firstByte: 51, total: 451 },
    );
    assert.equal(r.dtlsSctpMs, undefined);
    assert.equal(r.at.localCandidate, 13);
    assert.equal(r.at.start, 0);
    const sum = [r.lookupMs, r.prepMs, r.signalMs, r.iceMs, r.dtlsMs, r.sctpMs, r.controlMs, r.streamMs, r.firstByteMs].reduce((a, b) => a! + b!, 0);
    assert.equal(sum, r.totalMs);
  });

  it('keeps the first time of a mark, and moves the start only earlier', () => {
    let now = 100;
    const p = new SetupPhases(100, () => now);
    now = 130;
    p.mark('offerSent');
    now = 500;
    p.mark('offerSent');
    p.startedAt(150); // later than the start: ignored
    assert.equal(p.report().prepMs, 30);
    p.startedAt(90);
    assert.equal(p.report().prepMs, 40);
    assert.equal(p.report().at.offerSent, 40);
  });

  it('reports DTLS and SCTP together when the DTLS line was not attributed', () => {
    const p = new SetupPhases(0, () => 0);
    p.mark('answerReceived', 20);
    p.mark('iceConnected', 30);
    p.mark('connected', 70);
    const r = p.report();
    assert.equal(r.dtlsMs, undefined);
    assert.equal(r.sctpMs, undefined);
    assert.equal(r.dtlsSctpMs, 40);
    assert.equal(formatPhases(r), 'signal 20, ice 10, dtls+sctp 40 ms');
  });

  it('gives a mark that comes before the one listed ahead of it a 0 phase (answerer: ICE before the ack)', () => {
    const p = new SetupPhases(0, () => 0);
    p.mark('answerSent', 2);
    p.mark('iceConnected', 40);
    p.mark('ackReceived', 50);
    p.mark('connected', 90);
    const r = p.report();
    assert.equal(r.signalMs, 2);
    assert.equal(r.ackMs, 48);
    assert.equal(r.iceMs, 0);
    assert.equal(r.dtlsSctpMs, 40);
    assert.equal(r.totalMs, 90);
  });

  it('does not count time before the first stream was asked for', () => {
    const p = new SetupPhases(0, () => 0);
    p.mark('controlOpen', 100);
    p.mark('streamAsked', 5000);
    p.mark('streamOpen', 5040);
    p.mark('firstByte', 5045);
    const r = p.report();
    assert.equal(r.streamMs, 40);
    assert.equal(r.firstByteMs, 5);
    assert.equal(r.totalMs, 145);
    assert.equal(r.at.firstByte, 5045);
  });
});

describe('DTLS watch', () => {
  it('gives the handshake line to the only session waiting, and to none of several', () => {
    const w = new DtlsWatch();
    const got: string[] = [];
    const cancelA = w.wait(() => got.push('a'));
    w.wait(() => got.push('b'));
    w.finished(); // two waiting: whose handshake it was is unknown
    assert.deepEqual(got, []);
    cancelA();
    w.finished();
    assert.deepEqual(got, ['b']);
    w.finished(); // nobody waits any more
    assert.deepEqual(got, ['b']);
    assert.ok(DtlsWatch.isFinishedLine('DTLS handshake finished'));
    assert.ok(!DtlsWatch.isFinishedLine('DTLS closed'));
  });
});

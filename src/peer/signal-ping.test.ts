import { describe, it, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalPing } from './signal-ping.js';

describe('signal ping: a silent server is noticed', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval'] }));
  afterEach(() => mock.timers.reset());

  const make = (): { ping: SignalPing; sent: number[]; silent: () => number } => {
    const sent: number[] = [];
    let silent = 0;
    const ping = new SignalPing((id) => sent.push(id), () => undefined, { intervalMs: 1000, timeoutMs: 400, onSilent: () => silent++ });
    return { ping, sent, silent: () => silent };
  };

  it('nothing back within the timeout of a ping: onSilent, once per unanswered ping', () => {
    const { ping, sent, silent } = make();
    ping.start();
    assert.deepEqual(sent, [1]);
    mock.timers.tick(399);
    assert.equal(silent(), 0);
    mock.timers.tick(1);
    assert.equal(silent(), 1);
    mock.timers.tick(600); // ping 2 at 1000
    assert.deepEqual(sent, [1, 2]);
    assert.equal(silent(), 1);
    mock.timers.tick(400);
    assert.equal(silent(), 2);
    ping.stop();
  });

  it('a pong, any message or a WebSocket ping in time keeps it quiet; a late pong does not undo the verdict', () => {
    const { ping, sent, silent } = make();
    ping.start();
    mock.timers.tick(100);
    ping.pong(sent[0]);
    mock.timers.tick(1000); // ping 2 sent at 1000
    ping.alive(); // e.g. a presence message
    mock.timers.tick(1000); // ping 3 at 2000
    mock.timers.tick(100);
    ping.pong(999); // not one of ours, but it came from the server: alive
    mock.timers.tick(900); // ping 4 at 3000
    assert.equal(silent(), 0);
    mock.timers.tick(400);
    assert.equal(silent(), 1);
    ping.pong(sent[3]);
    assert.equal(silent(), 1);
    ping.stop();
  });

  it('stop() cancels pending deadlines; without onSilent nothing is watched', () => {
    const { ping, silent } = make();
    ping.start();
    ping.stop();
    mock.timers.tick(5000);
    assert.equal(silent(), 0);
    const quiet = new SignalPing(() => undefined, () => undefined, { intervalMs: 1000, timeoutMs: 10 });
    quiet.start();
    mock.timers.tick(3000);
    quiet.stop();
  });
});

/** SCTP tuning: validation, the effective values, idempotence and the refusal of a second configuration. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SctpSettings } from 'node-datachannel';
import { P2prcError } from '../protocol/errors.js';
import { DEFAULT_SCTP_TUNING, SCTP_LIMITS, STOCK_SCTP, SctpTuner, describeSctp, effectiveSctp, sctpChanges, supportedSctp, validateSctpTuning } from './sctp-settings.js';

const MiB = 1024 * 1024;

function tuner(): { t: SctpTuner; calls: SctpSettings[] } {
  const calls: SctpSettings[] = [];
  return { t: new SctpTuner((s) => calls.push(s)), calls };
}

function badArgument(f: () => unknown, message: RegExp): void {
  assert.throws(f, (err: unknown) => err instanceof P2prcError && err.code === 'bad-argument' && message.test(err.message));
}

describe('SCTP tuning validation', () => {
  it('accepts whole numbers within the limits, at both ends, and drops undefined fields', () => {
    const t = validateSctpTuning({ recvBufferSize: SCTP_LIMITS.recvBufferSize.min, sendBufferSize: SCTP_LIMITS.sendBufferSize.max, congestionControlModule: 3, delayedSackTime: 0, initialCongestionWindow: undefined });
    assert.deepEqual(t, { recvBufferSize: 64 * 1024, sendBufferSize: 64 * MiB, congestionControlModule: 3, delayedSackTime: 0 });
  });

  it('refuses values out of range, fractions, non-numbers and unknown fields, naming the field', () => {
    badArgument(() => validateSctpTuning({ congestionControlModule: 4 }), /congestionControlModule must be a whole number from 0 to 3, got 4/);
    badArgument(() => validateSctpTuning({ recvBufferSize: 64 * 1024 - 1 }), /recvBufferSize .* 65536 to 67108864 bytes/);
    badArgument(() => validateSctpTuning({ sendBufferSize: 64 * MiB + 1 }), /sendBufferSize/);
    badArgument(() => validateSctpTuning({ delayedSackTime: 501 }), /delayedSackTime .* 0 to 500 ms/);
    badArgument(() => validateSctpTuning({ initialCongestionWindow: 0 }), /initialCongestionWindow/);
    badArgument(() => validateSctpTuning({ maxBurst: 1001 }), /maxBurst must be a whole number from 0 to 1000 MTUs, got 1001/);
    assert.deepEqual(validateSctpTuning({ maxBurst: 0 }), { maxBurst: 0 });
    badArgument(() => validateSctpTuning({ initialCongestionWindow: 2.5 }), /initialCongestionWindow .* got 2.5/);
    badArgument(() => validateSctpTuning({ delayedSackTime: '5' }), /delayedSackTime .* got "5"/);
    badArgument(() => validateSctpTuning({ delayedSackTime: NaN }), /delayedSackTime/);
    badArgument(() => validateSctpTuning({ maxBursts: 4 }), /unknown SCTP setting "maxBursts"/);
    badArgument(() => validateSctpTuning(null), /must be an object/);
    badArgument(() => validateSctpTuning([1]), /must be an object/);
  });

  it('fills the stock values in and reports only what differs from stock', () => {
    assert.deepEqual(effectiveSctp({ delayedSackTime: 5 }), { ...STOCK_SCTP, delayedSackTime: 5 });
    assert.deepEqual(sctpChanges({ delayedSackTime: 5, initialCongestionWindow: STOCK_SCTP.initialCongestionWindow }), { delayedSackTime: 5 });
    assert.equal(describeSctp({ initialCongestionWindow: 10 }), 'stock');
    assert.equal(describeSctp({ recvBufferSize: 4 * MiB, congestionControlModule: 1 }), 'recvBufferSize=4194304 congestionControlModule=1');
  });
});

describe('SctpTuner', () => {
  it('applies the default (4 MiB buffers) when given no tuning', () => {
    const { t, calls } = tuner();
    assert.equal(t.apply(), true);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.recvBufferSize, 4 * 1024 * 1024);
    assert.equal(calls[0]!.sendBufferSize, 4 * 1024 * 1024);
    assert.equal(t.apply(), false);
  });
  it('makes no native call for the stock configuration, however it is spelled', () => {
    const { t, calls } = tuner();
    assert.equal(t.apply({}), false);
    assert.equal(t.apply({ ...STOCK_SCTP }), false);
    assert.deepEqual(calls, []);
    assert.deepEqual(t.current, {});
  });

  it('applies a tuning once, with every field spelled out, and is a no-op for the same one again', () => {
    const { t, calls } = tuner();
    assert.equal(t.apply({ recvBufferSize: 4 * MiB, sendBufferSize: 4 * MiB }), true);
    assert.equal(t.apply({ sendBufferSize: 4 * MiB, recvBufferSize: 4 * MiB, delayedSackTime: STOCK_SCTP.delayedSackTime }), false);
    assert.deepEqual(calls, [{ ...STOCK_SCTP, recvBufferSize: 4 * MiB, sendBufferSize: 4 * MiB }]);
    assert.deepEqual(t.current, { recvBufferSize: 4 * MiB, sendBufferSize: 4 * MiB });
  });

  it('refuses a second, different configuration and keeps the first', () => {
    const { t, calls } = tuner();
    t.apply({ congestionControlModule: 2 });
    badArgument(() => t.apply({ congestionControlModule: 1 }), /already set \(congestionControlModule=2\); refusing a different configuration \(congestionControlModule=1\)/);
    badArgument(() => t.apply({}), /refusing a different configuration \(stock\)/);
    assert.equal(calls.length, 1);
    assert.deepEqual(t.current, { congestionControlModule: 2 });
  });

  it('refuses a tuning once the stock configuration is in force (PeerConnections may already use it)', () => {
    const { t, calls } = tuner();
    t.apply({});
    badArgument(() => t.apply({ delayedSackTime: 5 }), /already set \(stock\)/);
    assert.deepEqual(calls, []);
  });

  it('validates before deciding: a bad tuning leaves the configuration undecided', () => {
    const { t, calls } = tuner();
    badArgument(() => t.apply({ congestionControlModule: 9 }), /congestionControlModule/);
    assert.equal(t.current, undefined);
    assert.equal(t.apply({ congestionControlModule: 1 }), true);
    assert.equal(calls.length, 1);
  });
});

describe('settings only the native build passes on', () => {
  it('are dropped for the prebuilt addon and kept for the native build', () => {
    const t = { ...DEFAULT_SCTP_TUNING, maxBurst: 0 };
    assert.equal(DEFAULT_SCTP_TUNING.minRetransmitTimeout, 1000);
    assert.equal(DEFAULT_SCTP_TUNING.maxBurst, 128);
    assert.deepEqual(supportedSctp(t, false), { recvBufferSize: 4 * MiB, sendBufferSize: 4 * MiB });
    assert.deepEqual(supportedSctp(t, true), t);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ownerRefusal } from './owner-gate.js';

const ONLINE = 'a'.repeat(40);
const GONE = 'b'.repeat(40);
const online = (u: string): boolean => u === ONLINE;

describe('ownerRefusal', () => {
  it('credentials of an online peer work; of a peer that left they do not, and say why', () => {
    assert.equal(ownerRefusal(ONLINE, online), undefined);
    assert.match(ownerRefusal(GONE, online) ?? '', /peer b{40} is not online on the signal server/);
  });
  it('users that are not peer ids (minted with the secret, e.g. coturn REST clients) are not gated', () => {
    assert.equal(ownerRefusal('uclient', online), undefined);
    assert.equal(ownerRefusal('B'.repeat(40), online), undefined);
  });
  it('a relay without a signal server gates nothing', () => {
    assert.equal(ownerRefusal(GONE, undefined), undefined);
  });
});

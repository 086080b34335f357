/**
 * The relay path's pure parts: the TURN entries of an ICE server list by
 * transport, the UDP-only list ICE gets without a bridge, and the choice among
 * stream relays probed at once (firstInOrder: TCP before TLS, without waiting
 * out a blackholed TCP once TLS worked).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstInOrder, relayEntries, udpOnly } from './relay-path.js';

const later = <T>(ms: number, v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms));

describe('relay path', () => {
  const list = [
    { urls: ['stun:203.0.113.1:3478', 'turn:203.0.113.1:3478?transport=udp'], username: 'u', credential: 'c' },
    { urls: 'turn:203.0.113.1:3478?transport=tcp', username: 'u', credential: 'c' },
    { urls: 'turns:203.0.113.1:443?transport=tcp', username: 'u', credential: 'c', certFingerprint: 'AB:'.repeat(31) + 'AB' },
  ];

  it('reads the TURN entries with their transports and credentials', () => {
    assert.deepEqual(
      relayEntries(list).map((e) => [e.transport, e.host, e.port, e.username, e.credential, e.certFingerprint]),
      [
        ['udp', '203.0.113.1', 3478, 'u', 'c', undefined],
        ['tcp', '203.0.113.1', 3478, 'u', 'c', undefined],
        ['tls', '203.0.113.1', 443, 'u', 'c', 'AB:'.repeat(31) + 'AB'],
      ],
    );
  });

  it('gives ICE only the UDP servers when there is no bridge (libjuice would drop the others)', () => {
    assert.deepEqual(
      udpOnly(list).map((s) => [s.hostname, s.port, s.relayType]),
      [
        ['203.0.113.1', 3478, undefined],
        ['203.0.113.1', 3478, 'TurnUdp'],
      ],
    );
  });

  it('takes the first good one in order, waiting for earlier ones only within the grace', async () => {
    const good = (v: string): boolean => v.startsWith('ok');
    assert.deepEqual(await firstInOrder([later(20, 'ok-tcp'), later(5, 'ok-tls')], good, 1000), ['ok-tcp', 'ok-tls']);
    // TCP blackholed (settles after 2 s): TLS wins after the grace, not after TCP's timeout.
    const released: string[] = [];
    const r = await firstInOrder([later(2000, 'ok-tcp-late'), later(10, 'ok-tls')], good, 100, (v) => released.push(v));
    assert.deepEqual(r, [undefined, 'ok-tls'], 'chosen before the blackholed one settled');
    await later(2100, null);
    assert.deepEqual(released, ['ok-tcp-late'], 'a good one settling after the choice is released');
    // A failed first one: the next good one at once.
    assert.deepEqual(await firstInOrder([later(5, 'refused'), later(10, 'ok-tls')], good, 1000), ['refused', 'ok-tls']);
    assert.deepEqual(await firstInOrder([later(5, 'refused'), later(10, 'refused too')], good, 1000), ['refused', 'refused too']);
    assert.deepEqual(await firstInOrder([], good, 10), []);
  });
});

/**
 * RouteTracker driven with a fake selected pair (no PeerConnection): route
 * kinds (direct, relay, upnp through our mapping or the peer's), a change
 * reported once with the first setup time kept, an unknown pair or a throwing
 * read ignored, and nothing before connecting or after stop.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Route } from './ice.js';
import { RouteTracker, type RouteTrackerOptions, type SelectedPair } from './route-tracker.js';

type Cand = NonNullable<SelectedPair>['local'];
const cand = (type: string, address: string, port: number): Cand => ({ type, address, port, transportType: 'udp', candidate: '', priority: 0 }) as unknown as Cand;

function tracker(extra: Partial<RouteTrackerOptions> = {}): { t: RouteTracker; set: (p: SelectedPair | undefined | Error) => void; changes: [Route, Route][] } {
  let pair: SelectedPair | undefined | Error;
  const changes: [Route, Route][] = [];
  const t = new RouteTracker({
    selectedPair: () => {
      if (pair instanceof Error) throw pair;
      return pair;
    },
    createdAt: performance.now() - 250,
    onChange: (now, was) => changes.push([now, was]),
    ...extra,
  });
  return { t, set: (p) => (pair = p), changes };
}

describe('route tracker', () => {
  it('reads the route at connecting, and nothing before', () => {
    const { t, set, changes } = tracker();
    set({ local: cand('relay', '203.0.113.1', 50000), remote: cand('srflx', '198.51.100.2', 40000) });
    t.recheck(); // before connecting: nothing
    assert.equal(t.route, undefined);
    const first = t.connected();
    t.stop(); // no timers left behind; recheck() below is driven by hand
    assert.equal(first.kind, 'relay');
    assert.ok(first.setupMs >= 250 && first.setupMs < 5000, `setupMs ${first.setupMs}`);
    assert.deepEqual(changes, []);
  });

  it('reports a change with the original setup time, ignores unknown pairs and throwing reads', async () => {
    const { t, set, changes } = tracker();
    set({ local: cand('relay', '203.0.113.1', 50000), remote: cand('srflx', '198.51.100.2', 40000) });
    const first = t.connected();
    t.recheck();
    assert.equal(changes.length, 0, 'same pair: no change');
    set(undefined);
    t.recheck();
    set(new Error('closing'));
    t.recheck();
    assert.equal(changes.length, 0, 'an unknown pair or a failed read is not a change');
    await new Promise((r) => setTimeout(r, 20)); // so a re-measured setup time would differ
    set({ local: cand('host', '192.168.1.20', 50123), remote: cand('srflx', '198.51.100.2', 40211) });
    t.recheck();
    t.recheck();
    assert.equal(changes.length, 1);
    const [now, was] = changes[0]!;
    assert.equal(was, first);
    assert.equal(now.kind, 'direct');
    assert.equal(now.setupMs, first.setupMs);
    assert.equal(t.route, now);
    t.stop();
    set({ local: cand('relay', '203.0.113.1', 50001), remote: cand('srflx', '198.51.100.2', 40000) });
    t.recheck();
    assert.equal(changes.length, 1, 'nothing after stop');
  });

  it('names a direct route through our router port mapping or the peer\'s `upnp`', () => {
    const upnp = { external: { address: '203.0.113.9', port: 41000 }, localPort: 45000 };
    const ours = tracker({ upnp });
    ours.set({ local: cand('host', '192.168.1.20', 45000), remote: cand('srflx', '198.51.100.2', 40000) });
    assert.equal(ours.t.connected().kind, 'upnp');
    ours.t.stop();
    const prflx = tracker({ upnp });
    prflx.set({ local: cand('prflx', '203.0.113.9', 41000), remote: cand('host', '10.0.0.2', 40000) });
    assert.equal(prflx.t.connected().kind, 'upnp');
    prflx.t.stop();
    const hostToHost = tracker({ upnp });
    hostToHost.set({ local: cand('host', '192.168.1.20', 45000), remote: cand('host', '192.168.1.30', 40000) });
    assert.equal(hostToHost.t.connected().kind, 'direct');
    hostToHost.t.stop();
    const theirs = tracker();
    theirs.t.noteUpnpCandidate('a=candidate:upnp1 1 UDP 1694498815 198.51.100.7 42000 typ srflx raddr 0.0.0.0 rport 45000');
    theirs.set({ local: cand('srflx', '203.0.113.9', 40000), remote: cand('srflx', '198.51.100.7', 42000) });
    assert.equal(theirs.t.connected().kind, 'upnp');
    theirs.t.stop();
    const relayed = tracker();
    relayed.t.noteUpnpCandidate('a=candidate:upnp1 1 UDP 1694498815 198.51.100.7 42000 typ srflx raddr 0.0.0.0 rport 45000');
    relayed.set({ local: cand('relay', '203.0.113.1', 50000), remote: cand('srflx', '198.51.100.7', 42000) });
    assert.equal(relayed.t.connected().kind, 'relay', 'a relayed route stays relay');
    relayed.t.stop();
  });

  it('reads the peer\'s relayed address as relay when libjuice reports it as peer-reflexive, and says a bridged relay\'s transport', () => {
    const { t, set } = tracker({ relayTransport: 'tcp' });
    t.noteRemoteCandidate('a=candidate:2 1 UDP 16777215 203.0.113.1 59618 typ relay raddr 0.0.0.0 rport 0');
    set({ local: cand('host', '203.0.113.50', 42005), remote: cand('prflx', '203.0.113.1', 59618) });
    const r = t.connected();
    t.stop();
    assert.equal(r.kind, 'relay');
    assert.equal(r.remote.type, 'relay');
    assert.equal(r.relayTransport, undefined, 'our side is not relayed: no transport of ours to name');
    const other = tracker();
    other.t.noteRemoteCandidate('a=candidate:2 1 UDP 16777215 203.0.113.1 59618 typ relay raddr 0.0.0.0 rport 0');
    other.set({ local: cand('host', '203.0.113.50', 42005), remote: cand('prflx', '203.0.113.1', 59619) });
    assert.equal(other.t.connected().kind, 'direct', 'another port of that host is not the relayed candidate');
    other.t.stop();
    const ours = tracker({ relayTransport: 'tls' });
    ours.set({ local: cand('relay', '203.0.113.1', 50000), remote: cand('srflx', '198.51.100.2', 40000) });
    assert.equal(ours.t.connected().relayTransport, 'tls');
    ours.t.stop();
  });
});

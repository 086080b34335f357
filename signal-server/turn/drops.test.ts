/**
 * The relay's drop counters, against a TurnServer on loopback and our own TURN
 * client: every datagram the data path drops is counted per allocation under its
 * reason (and in the server's stats), so a stalled relayed session shows whether
 * the relay ate its packets. Each datagram is followed by a Refresh on the same
 * 5-tuple: its answer means the server has handled the datagram.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TurnClient } from '../../src/stun-client/turn-client.js';
import { restPassword, restUsername } from '../../src/stun/index.js';
import { createLogger, setLogLevel } from '../../src/util/log.js';
import { formatDrops, noDrops, type DropCounts } from './allocation.js';
import { TurnServer } from './server.js';

setLogLevel('debug'); // the first drop of each reason is logged at debug
const SECRET = 'drops-secret';
const lines: string[] = [];
const server = new TurnServer({
  host: '127.0.0.1',
  port: 0,
  relayPorts: { min: 53000, max: 53999 },
  secret: SECRET,
  realm: 'p2prc',
  quotas: { perUser: 10, total: 100 },
  allowPrivatePeers: true,
  protectedPorts: [],
  logger: createLogger('turn', (l) => lines.push(l)),
});
const clients: TurnClient[] = [];

async function client(user: string): Promise<TurnClient> {
  const username = restUsername(Math.floor(Date.now() / 1000) + 3600, user);
  const t = new TurnClient({ server: { address: '127.0.0.1', port: server.port }, username, password: restPassword(SECRET, username), transaction: { rtoMs: 100, attempts: 4 } });
  await t.bind();
  clients.push(t);
  return t;
}

/** The drop counters of the allocation relaying on `port`. */
function dropsAt(port: number): DropCounts {
  const a = server.allocations().find((x) => x.relay.port === port);
  assert.ok(a, `no allocation at relay port ${port}`);
  return a.drops;
}

describe('relay drop counters', () => {
  before(() => server.listen());
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('counts ChannelData on an unbound channel and data to a peer without a permission', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const ra = await a.allocate();
    const rb = await b.allocate();
    a.sendChannel(0x4001, Buffer.from('no such channel'));
    a.send(rb, Buffer.from('no permission'));
    await a.refresh(600);
    assert.deepEqual(dropsAt(ra.port), { ...noDrops(), unknownChannel: 1, noPermissionOut: 1 });
    // Alice may send to Bob's relay now, but Bob has no permission for Alice's relay address.
    await a.createPermission(rb);
    a.send(rb, Buffer.from('bob does not want this'));
    await a.refresh(600);
    assert.deepEqual(dropsAt(rb.port), { ...noDrops(), noPermissionIn: 1 });
    assert.equal(formatDrops(dropsAt(rb.port)), 'noPermissionIn=1');
    assert.ok(lines.some((l) => /relay dropped a datagram .*reason=unknownChannel/.test(l) && l.includes('peer="channel 0x4001"')), lines.join('\n'));
  });

  it('counts ChannelData to an allocation of this server that was freed, instead of sending it to the bare port', async () => {
    const a = await client('carol');
    const b = await client('dave');
    const ra = await a.allocate();
    const rb = await b.allocate();
    await a.channelBind(0x4002, rb);
    await b.createPermission(ra);
    const got = new Promise<Buffer>((r) => b.once('data', (d) => r(d)));
    a.sendChannel(0x4002, Buffer.from('while dave is there'));
    assert.equal((await got).toString(), 'while dave is there');
    assert.equal(await b.refresh(0), 0);
    const before = server.getStats().dropped.peerGone;
    a.sendChannel(0x4002, Buffer.from('after dave left'));
    await a.refresh(600);
    assert.deepEqual(dropsAt(ra.port), { ...noDrops(), peerGone: 1 });
    assert.equal(server.getStats().dropped.peerGone, before + 1);
    // The allocation's drops are in the line that ends it.
    assert.equal(await a.refresh(0), 0);
    assert.ok(lines.some((l) => l.includes('allocation freed') && l.includes(`:${ra.port}`) && l.includes('drops="peerGone=1"')), lines.join('\n'));
  });
});

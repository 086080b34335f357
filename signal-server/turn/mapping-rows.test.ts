/** The relay's mapping-log rows, written by the listener as the allocation table changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MappingLog } from '../../src/mapping/log.js';
import { Allocation, AllocationTable, allocKey } from './allocation.js';
import { DEFAULT_RELAY_NAME, mappingRows } from './mapping-rows.js';

function setup(name?: string): { log: MappingLog; table: AllocationTable<null>; a: Allocation<null>; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'p2prc-mapping-rows-'));
  const log = new MappingLog(dir);
  const table = new AllocationTable<null>({ perUser: 5, total: 5 });
  table.listen(mappingRows(log, name));
  const client = { address: '203.0.113.1', port: 40000 };
  const a = new Allocation<null>({ key: allocKey(client), client, username: '9999999999:alice', user: 'alice', relay: { address: '192.0.2.1', port: 50002 }, handle: null, now: 0, lifetimeS: 600, transactionId: '' });
  return { log, table, a, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('created: one row per allocation, with its relay port, owner and client', () => {
  const { log, table, a, done } = setup();
  table.add(a);
  assert.ok(a.rowId);
  const row = log.get(a.rowId);
  assert.ok(row);
  assert.equal(row.Server_name, DEFAULT_RELAY_NAME);
  assert.equal(DEFAULT_RELAY_NAME, 'p2prc-relay');
  assert.equal(row.Address, '192.0.2.1');
  assert.equal(row.Type, 'UDP');
  assert.equal(row.blind_port, 50002);
  assert.equal(row.role, 'server');
  assert.equal(row.peer, 'alice');
  assert.equal(row.service, 'relay for 203.0.113.1:40000');
  assert.equal(row.route, 'relay');
  assert.equal(row.ended_at, undefined);
  assert.equal(log.rows().length, 1);
  done();
});

test('the server name is used when given', () => {
  const { log, table, a, done } = setup('relay-eu');
  table.add(a);
  assert.equal(log.get(a.rowId!)?.Server_name, 'relay-eu');
  done();
});

test('counters follow the sweep only when they moved; deleted writes the final counters and ends the row', (t) => {
  const { log, table, a, done } = setup();
  table.add(a);
  const id = a.rowId!;
  const update = t.mock.method(log, 'update');
  table.sweep(1);
  assert.equal(update.mock.callCount(), 0, 'no write when nothing moved');
  a.bytesToPeer = 1200;
  a.bytesFromPeer = 300;
  table.sweep(2);
  table.sweep(3);
  assert.equal(update.mock.callCount(), 1);
  assert.equal(log.get(id)!.bytes_sent, 1200);
  assert.equal(log.get(id)!.bytes_received, 300);
  a.bytesToPeer = 1500;
  table.remove(a);
  const row = log.get(id)!;
  assert.equal(row.bytes_sent, 1500);
  assert.equal(row.bytes_received, 300);
  assert.ok(row.ended_at);
  done();
});

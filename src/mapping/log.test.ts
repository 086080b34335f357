import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ROWS, MappingLog, readMappingFile } from './log.js';

const row = (service: string) => ({
  Server_name: 'alice',
  Address: '203.0.113.5',
  Type: 'UDP' as const,
  blind_port: 40000,
  role: 'connect' as const,
  peer: 'a'.repeat(40),
  service,
  route: 'direct' as const,
});

describe('mapping log', () => {
  it('writes the seed format atomically and merges rows of other writers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-map-'));
    try {
      const a = new MappingLog(dir);
      const b = new MappingLog(dir);
      const ra = a.add(row('web'));
      b.add(row('db'));
      a.flush();
      b.flush();
      a.addBytes(ra.id, 10, 20);
      a.end(ra.id);
      a.flush();
      const file = readMappingFile(join(dir, 'reverse_proxy_mapping.json'));
      assert.equal(file.reverse_proxy_mappings.length, 2);
      const web = file.reverse_proxy_mappings.find((r) => r.service === 'web')!;
      assert.equal(web.bytes_sent, 10);
      assert.equal(web.bytes_received, 20);
      assert.ok(web.ended_at);
      for (const k of ['Server_name', 'Address', 'Type', 'blind_port']) assert.ok(k in web);
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('keeps a corrupt file aside as .corrupt-<time> and starts a new one instead of failing the route', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-map-'));
    try {
      writeFileSync(join(dir, 'reverse_proxy_mapping.json'), '{"reverse_proxy_mappings": [');
      const log = new MappingLog(dir);
      log.add(row('web'));
      log.flush();
      assert.equal(JSON.parse(readFileSync(join(dir, 'reverse_proxy_mapping.json'), 'utf8')).reverse_proxy_mappings.length, 1);
      const kept = readdirSync(dir).filter((f) => f.startsWith('reverse_proxy_mapping.json.corrupt-'));
      assert.equal(kept.length, 1);
      assert.equal(readFileSync(join(dir, kept[0]!), 'utf8'), '{"reverse_proxy_mappings": [');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('skips rows that are not objects (a hand-edited null) and names a file of the wrong shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-map-'));
    try {
      const path = join(dir, 'reverse_proxy_mapping.json');
      writeFileSync(path, JSON.stringify({ reverse_proxy_mappings: [null, 3, { ...row('web'), id: 'x' }] }));
      assert.deepEqual(readMappingFile(path).reverse_proxy_mappings.map((r) => r.id), ['x']);
      writeFileSync(path, JSON.stringify({ rows: [] }));
      assert.throws(() => readMappingFile(path), (err: Error & { code?: string }) => err.code === 'bad-file' && err.message.includes(path));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  it('keeps at most MAX_ROWS rows in memory, like the file (a route flood cannot grow the process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-map-'));
    try {
      const log = new MappingLog(dir);
      const first = log.add(row('first'));
      for (let i = 0; i < MAX_ROWS + 50; i++) log.add(row(`s${i}`));
      assert.equal(log.rows().length, MAX_ROWS);
      assert.equal(log.get(first.id), undefined);
      log.flush();
      assert.equal(readMappingFile(join(dir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.length, MAX_ROWS);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServersFile, recordServer } from './servers.js';

describe('server list', () => {
  it('records a server once per address, in the seed format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-srv-'));
    try {
      recordServer(dir, { Server_name: 's', Address: 'ws://203.0.113.1:8088', Latency: 12 });
      recordServer(dir, { Server_name: 's', Address: 'ws://203.0.113.1:8088', Latency: 9 });
      const file = readServersFile(join(dir, 'reverse_proxy_server.json'));
      assert.equal(file.reverse_proxy_servers.length, 1);
      assert.equal(file.reverse_proxy_servers[0]?.Latency, 9);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('keeps a corrupt list aside as .corrupt-<time> instead of overwriting it without a word', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-srv-'));
    try {
      writeFileSync(join(dir, 'reverse_proxy_server.json'), '{"reverse_proxy_servers": [nul');
      recordServer(dir, { Server_name: 's', Address: 'ws://203.0.113.1:8088', Latency: 12 });
      const kept = readdirSync(dir).filter((f) => f.startsWith('reverse_proxy_server.json.corrupt-'));
      assert.equal(kept.length, 1);
      assert.equal(readFileSync(join(dir, kept[0]!), 'utf8'), '{"reverse_proxy_servers": [nul');
      assert.equal(readServersFile(join(dir, 'reverse_proxy_server.json')).reverse_proxy_servers.length, 1);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

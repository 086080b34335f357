/**
 * The SCTP settings reach libdatachannel: a process with larger SCTP buffers takes
 * more of a burst into usrsctp at once. 16 MiB written in one go on a fresh channel:
 * with the stock 1 MiB send buffer nearly all of it waits in the channel
 * (bufferedAmount), with 32 MiB none does. A setting that node-datachannel ignored
 * (a misspelt field) would leave both alike. Real PeerConnections on 127.0.0.1, one
 * process per configuration (the settings are process-wide): under the e2e lock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SctpTuning } from '../src/peer/sctp-settings.js';

const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'harness', 'sctp-probe.js');
const MiB = 1024 * 1024;
/** The probe bounds its own wait for the channel (15 s); this only catches a hang. */
const RUN_LIMIT_MS = 30_000;

interface ProbeResult {
  sctp: SctpTuning;
  written: number;
  buffered: number;
}

function probe(tuning: SctpTuning): Promise<ProbeResult> {
  const child = spawn(process.execPath, [PROBE, JSON.stringify(tuning)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      clearTimeout(limit);
      if (code !== 0) reject(new Error(`sctp probe exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as ProbeResult);
    }),
  );
}

describe('SCTP settings in libdatachannel', { timeout: 2 * RUN_LIMIT_MS }, () => {
  it('a larger SCTP send buffer takes a 16 MiB burst at once; the stock one keeps most of it waiting', async () => {
    const stock = await probe({});
    const big = await probe({ recvBufferSize: 32 * MiB, sendBufferSize: 32 * MiB });
    assert.deepEqual(stock.sctp, {});
    assert.deepEqual(big.sctp, { recvBufferSize: 32 * MiB, sendBufferSize: 32 * MiB });
    // Stock: usrsctp takes about its 1 MiB send buffer (and what is acknowledged meanwhile).
    assert.ok(stock.buffered > 8 * MiB, `stock buffers ${stock.buffered} B of ${stock.written}`);
    assert.ok(big.buffered < 1 * MiB, `32 MiB buffers leave ${big.buffered} B of ${big.written} waiting`);
  });
});

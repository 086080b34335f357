/**
 * A child program for test/sctp-settings.test.ts: applies the SCTP settings
 * given as JSON in argv[2] ({}: stock; process-wide, so one configuration per process),
 * connects two PeerConnections of this process on 127.0.0.1, writes PROBE_BYTES
 * at once on a data channel and prints one JSON line: how much the channel still
 * buffers, i.e. what usrsctp's send buffer did not take. Exits by itself.
 */
import ndc from 'node-datachannel';
import type { DataChannel } from 'node-datachannel';
import { linkInProcess } from './ndc-link.js';
import { STOCK_SCTP, applySctpTuning, currentSctpTuning, type SctpTuning } from '../../src/peer/sctp-settings.js';

export const PROBE_BYTES = 16 * 1024 * 1024;
const MESSAGE = 64 * 1024;
const OPEN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const tuning = JSON.parse(process.argv[2] ?? '{}') as SctpTuning;
  // {} is libdatachannel's stock configuration (not the PeerNode default, which has larger buffers).
  applySctpTuning(Object.keys(tuning).length ? tuning : { ...STOCK_SCTP });
  const a = new ndc.PeerConnection('probe-a', { iceServers: [], bindAddress: '127.0.0.1' });
  const b = new ndc.PeerConnection('probe-b', { iceServers: [], bindAddress: '127.0.0.1' });
  linkInProcess(a, b);
  linkInProcess(b, a);
  const held: DataChannel[] = [];
  b.onDataChannel((dc) => held.push(dc));
  const dc = a.createDataChannel('probe');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('channel did not open')), OPEN_TIMEOUT_MS);
    dc.onOpen(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  const msg = Buffer.alloc(MESSAGE, 1);
  for (let sent = 0; sent < PROBE_BYTES; sent += MESSAGE) dc.sendMessageBinary(msg);
  const buffered = dc.bufferedAmount();
  process.stdout.write(JSON.stringify({ sctp: currentSctpTuning(), written: PROBE_BYTES, buffered }) + '\n');
  for (const x of [dc, ...held, a, b]) x.close();
  ndc.cleanup();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);

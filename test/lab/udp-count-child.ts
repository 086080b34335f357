/**
 * A UDP counter for the link emulator's loss check, run inside lab namespaces
 * (no control connection crosses the lossy link, unlike iperf3's TCP one, which
 * a lost segment can stall past iperf3's own read timeout).
 *   recv HOST PORT   print {"listening":PORT}, then count distinct sequence numbers;
 *                    after the sender's last datagram plus QUIET_MS of silence print
 *                    {"received":N,"highest":H} and exit
 *   send HOST PORT N PPS   send N numbered 200-byte datagrams at PPS, then
 *                    END_REPEATS end markers (seq 0xffffffff), print {"sent":N}
 */
import { createSocket } from 'node:dgram';

const SIZE = 200;
const END = 0xffffffff;
const END_REPEATS = 20;
const QUIET_MS = 500;
const MAX_MS = 60_000;

const [mode, host, portArg, nArg, ppsArg] = process.argv.slice(2);
const port = Number(portArg);

if (mode === 'recv') {
  const sock = createSocket('udp4');
  const seen = new Set<number>();
  let highest = -1;
  let quiet: NodeJS.Timeout | undefined;
  const finish = (): void => {
    process.stdout.write(JSON.stringify({ received: seen.size, highest }) + '\n');
    process.exit(0);
  };
  setTimeout(finish, MAX_MS).unref();
  sock.on('message', (m) => {
    if (m.length < 4) return;
    const seq = m.readUInt32BE(0);
    if (seq === END) {
      quiet ??= setTimeout(finish, QUIET_MS);
      return;
    }
    seen.add(seq);
    if (seq > highest) highest = seq;
  });
  sock.bind(port, host, () => process.stdout.write(JSON.stringify({ listening: port }) + '\n'));
} else if (mode === 'send') {
  const n = Number(nArg);
  const pps = Number(ppsArg);
  const sock = createSocket('udp4');
  const t0 = performance.now();
  let seq = 0;
  const tick = (): void => {
    const due = Math.min(n, Math.floor(((performance.now() - t0) / 1000) * pps) + 1);
    for (; seq < due; seq++) {
      // A buffer per datagram: send() reads it later, so one reused buffer would go out many times with its last value.
      const buf = Buffer.alloc(SIZE);
      buf.writeUInt32BE(seq, 0);
      sock.send(buf, port, host);
    }
    if (seq < n) {
      setTimeout(tick, 1);
      return;
    }
    const end = Buffer.alloc(SIZE);
    end.writeUInt32BE(END, 0);
    for (let i = 0; i < END_REPEATS; i++) sock.send(end, port, host);
    setTimeout(() => {
      process.stdout.write(JSON.stringify({ sent: n }) + '\n');
      process.exit(0);
    }, 100);
  };
  tick();
} else {
  process.stderr.write('usage: udp-count-child recv HOST PORT | send HOST PORT N PPS\n');
  process.exit(2);
}

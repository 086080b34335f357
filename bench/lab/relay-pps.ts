/**
 * The relay's CPU per relayed datagram, on loopback, without the lab: how much
 * the data path (signal-server/turn/handlers/relay.ts) costs per packet, to
 * compare changes to it with less noise than a lab transfer.
 *
 *   node dist/bench/lab/relay-pps.js [--pps 30000] [--seconds 3] [--size 1200] [--runs 3]
 *
 * A TurnServer runs alone in a child process (this file with `server`). Two
 * TURN clients (127.0.0.2 and 127.0.0.3) allocate on it and bind a channel to
 * each other's relayed address, as libjuice does, so every datagram takes the
 * in-process hand-off (ChannelData in, ChannelData out). Client A sends `pps`
 * ChannelData datagrams a second (in 1 ms batches); B counts what arrives. The
 * server's utime+stime over the window (/proc) divided by the datagrams B got
 * is the figure: µs of relay CPU per relayed datagram. Also prints the loss.
 * Serialize it with the e2e lock like every timing run. RELAY_PPS_PIDFILE=FILE writes
 * the server's pid there (to profile it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeChannelData } from '../../src/stun/index.js';
import { restPassword, restUsername } from '../../src/stun/credentials.js';
import { TurnClient } from '../../src/stun-client/turn-client.js';
import { procCpuMs } from '../cpu.js';

const SECRET = 'relay-pps-secret';
const argv = process.argv.slice(2);
const flag = (name: string, def: string): number => {
  const i = argv.indexOf(`--${name}`);
  return Number(i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : def);
};

if (argv[0] === 'server') {
  const { TurnServer } = await import('../../signal-server/turn/server.js');
  const { createLogger } = await import('../../src/util/log.js');
  const t = new TurnServer({
    host: '127.0.0.1', port: 0, relayPorts: { min: 53000, max: 53099 }, secret: SECRET, realm: 'pps',
    quotas: { perUser: 10, total: 100 }, allowPrivatePeers: true, protectedPorts: [], logger: createLogger('turn'),
  });
  const a = await t.listen();
  process.stdout.write(`${JSON.stringify({ port: a.port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  const pps = flag('pps', '30000');
  const seconds = flag('seconds', '3');
  const size = flag('size', '1200');
  const runs = flag('runs', '3');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'server'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const port = (JSON.parse(line) as { port: number }).port;
    if (process.env.RELAY_PPS_PIDFILE) writeFileSync(process.env.RELAY_PPS_PIDFILE, String(child.pid));
    const client = async (bind: string): Promise<TurnClient> => {
      const username = restUsername(Math.floor(Date.now() / 1000) + 3600, `pps${bind}`);
      const c = new TurnClient({ server: { address: '127.0.0.1', port }, username, password: restPassword(SECRET, username), bind, transaction: { rtoMs: 200, attempts: 5 } });
      await c.bind();
      c.socket.setRecvBufferSize(4 << 20);
      await c.allocate();
      return c;
    };
    const a = await client('127.0.0.2');
    const b = await client('127.0.0.3');
    await a.channelBind(0x4001, b.relayed!);
    await b.channelBind(0x4002, a.relayed!);
    let got = 0;
    b.on('data', () => got++);
    const frame = encodeChannelData(0x4001, Buffer.alloc(size, 0x61));
    const send = (n: number): void => {
      for (let i = 0; i < n; i++) a.socket.send(frame, port, '127.0.0.1');
    };
    // Warm-up: the JIT settles on the hot path.
    send(2000);
    await new Promise((r) => setTimeout(r, 300));
    const out: number[] = [];
    for (let r = 0; r < runs; r++) {
      const cpu0 = procCpuMs(child.pid)!;
      const got0 = got;
      const t0 = performance.now();
      let sent = 0;
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          const due = Math.floor(((performance.now() - t0) / 1000) * pps) - sent;
          if (due > 0) {
            send(due);
            sent += due;
          }
          if (performance.now() - t0 >= seconds * 1000) {
            clearInterval(tick);
            resolve();
          }
        }, 1);
      });
      await new Promise((r2) => setTimeout(r2, 200)); // the last datagrams arrive
      const cpu = procCpuMs(child.pid)! - cpu0;
      const n = got - got0;
      const us = (cpu * 1000) / n;
      out.push(us);
      process.stdout.write(`run ${r + 1}: sent ${sent} relayed ${n} (loss ${(100 * (1 - n / sent)).toFixed(2)} %), relay CPU ${cpu.toFixed(0)} ms = ${us.toFixed(2)} µs/datagram\n`);
    }
    const s = [...out].sort((x, y) => x - y);
    process.stdout.write(`relay CPU per datagram: min ${s[0]!.toFixed(2)} median ${s[Math.floor(s.length / 2)]!.toFixed(2)} max ${s[s.length - 1]!.toFixed(2)} µs (${pps} datagrams/s of ${size} bytes)\n`);
    a.close();
    b.close();
  } finally {
    child.stdin!.end();
    child.kill('SIGKILL');
  }
}

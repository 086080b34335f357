/**
 * The numeric flags as a user meets them: the real `p2prc` process, its exit
 * code and its error line. A bad value must stop the command before it starts
 * anything (before the parser, `--max-allocations abc` ran a server with a NaN quota).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../bin/p2prc', import.meta.url));
/** A refused flag exits as soon as node has started (well under a second); a command that did start never exits by itself. */
const EXIT_WITHIN_MS = 15_000;
/** Loopback and system-chosen ports, so a command that wrongly starts binds nothing anyone else uses. */
const SAFE_SERVER = ['server', '--host', '127.0.0.1', '--port', '0', '--stun-port', '0'];

const home = mkdtempSync(join(tmpdir(), 'p2prc-flags-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, P2PRC_HOME: home }, encoding: 'utf8', timeout: EXIT_WITHIN_MS, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const refused = (args: string[], flag: string, value: string, expected: string): void => {
  const r = run(args);
  assert.equal(r.status, 1, `exit code of p2prc ${args.join(' ')} (stderr: ${r.stderr})`);
  assert.equal(r.stderr, `error: option '${flag}' argument '${value}' is invalid. ${expected}\n`);
  assert.equal(r.stdout, '');
};

const PORT = 'Expected a port number, 0 to 65535.';
const COUNT = 'Expected a whole number, 0 or more.';
const RANGE = 'Expected MIN-MAX, two port numbers with 1 <= MIN <= MAX <= 65535.';

describe('p2prc numeric flags', () => {
  it('refuses a port that is not a number', () => refused(['server', '--port', 'abc'], '--port <port>', 'abc', PORT));
  it('refuses a port out of range', () => refused([...SAFE_SERVER, '--stun-port', '70000'], '--stun-port <port>', '70000', PORT));
  it('refuses a reversed relay port range', () => refused([...SAFE_SERVER, '--relay-ports', '6000-5000'], '--relay-ports <min-max>', '6000-5000', RANGE));
  it('refuses a relay port range that is not MIN-MAX', () => refused([...SAFE_SERVER, '--relay-ports', '50000-50010-50020'], '--relay-ports <min-max>', '50000-50010-50020', RANGE));
  it('refuses a negative quota', () => refused([...SAFE_SERVER, '--max-allocations', '-1'], '--max-allocations <n>', '-1', COUNT));
  it('refuses a quota that is not a number', () => refused([...SAFE_SERVER, '--max-allocations-per-user', 'abc'], '--max-allocations-per-user <n>', 'abc', COUNT));
  it('refuses a bandwidth in exponent notation', () => refused([...SAFE_SERVER, '--relay-bandwidth', '1e3'], '--relay-bandwidth <bytes/s>', '1e3', COUNT));
  it('refuses a bad --ice-port before contacting any server', () =>
    refused(['expose', 'web=80', '--server', 'ws://127.0.0.1:9', '--upnp', '--ice-port', '1.5'], '--ice-port <port>', '1.5', PORT));
  it('refuses bad values given through the seed flags too', () => refused(['-s', '--reverse-proxy', '--port', '-5'], '--port <port>', '-5', PORT));

  it('hands good values to the server as numbers', async () => {
    const child = spawn(process.execPath, [CLI, '--json', ...SAFE_SERVER, '--relay-ports', '50000-50010', '--max-allocations', '5'], {
      env: { ...process.env, P2PRC_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line within ${EXIT_WITHIN_MS} ms`)), EXIT_WITHIN_MS);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const nl = stdout.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(stdout.slice(0, nl));
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before listening`)));
    }).finally(() => child.kill('SIGTERM'));
    const ev = JSON.parse(line) as { event: string; port: number; stunPort: number; relayPorts: number[] };
    assert.equal(ev.event, 'listening');
    assert.ok(ev.port > 0 && ev.stunPort > 0);
    assert.deepEqual(ev.relayPorts, [50000, 50010]);
    assert.equal(await exited, 0);
  });
  it('refuses a name the server would refuse, at once and with its code (not a registration timeout)', () => {
    const r = run(['expose', 'web=1', '--name', 'bad name', '--server', 'ws://127.0.0.1:9']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /\[bad-name\]: bad name "bad name": name: 1-63 chars/);
  });

  it('refuses SCTP flags out of their range before contacting any server', () => {
    refused(['connect', 'a/b', '--listen', '0', '--server', 'ws://127.0.0.1:9', '--sctp-cc', '4'], '--sctp-cc <n>', '4', 'Expected a whole number, 0 to 3.');
    refused(['expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-buffer-kib', '32'], '--sctp-buffer-kib <n>', '32', 'Expected a whole number, 64 to 65536.');
    refused(['expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-sack-ms', '501'], '--sctp-sack-ms <n>', '501', 'Expected a whole number, 0 to 500.');
    refused(['expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-cwnd', '0'], '--sctp-cwnd <n>', '0', 'Expected a whole number, 1 to 1000.');
    refused(['expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-max-burst', '-1'], '--sctp-max-burst <n>', '-1', 'Expected a whole number, 0 to 1000.');
    refused(['expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-max-chunks', '255'], '--sctp-max-chunks <n>', '255', 'Expected a whole number, 256 to 1048576.');
  });

  it('applies the SCTP flags before the peer starts, as one process-wide setting', async () => {
    // Nothing listens on port 9: the peer logs its SCTP settings, then waits to register; killed then.
    const child = spawn(process.execPath, [CLI, '--log-level', 'info', 'expose', 'web=1', '--server', 'ws://127.0.0.1:9', '--sctp-buffer-kib', '4096', '--sctp-cc', '2', '--sctp-sack-ms', '5', '--sctp-cwnd', '20', '--sctp-max-burst', '0'], {
      env: { ...process.env, P2PRC_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sctp line within ${EXIT_WITHIN_MS} ms: ${stderr}`)), EXIT_WITHIN_MS);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /^.*sctp settings applied.*$/m.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before applying the SCTP settings: ${stderr}`)));
    }).finally(() => child.kill('SIGTERM'));
    assert.match(line, /sctp="recvBufferSize=4194304 sendBufferSize=4194304 initialCongestionWindow=20 congestionControlModule=2 delayedSackTime=5 maxBurst=0 minRetransmitTimeout=1000"$/);
  });
});

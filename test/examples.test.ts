/**
 * The examples in examples/ run as a user runs them: each compiled file as its
 * own process, checked for exit code 0 and its key output line, so they cannot
 * rot when the library changes. End-to-end: run under the shared e2e lock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/examples, beside this file's dist/test. */
const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
/** Each example bounds itself (30 s at most); this only catches one that ignores its own bound. */
const RUN_LIMIT_MS = 45_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Run `node dist/examples/<file> ...args`; `onOut` sees stdout as it grows (to signal the process). */
function run(file: string, args: string[] = [], onOut?: (out: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<Run> {
  const child = spawn(process.execPath, [join(EXAMPLES, file), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onOut?.(out, (sig) => child.kill(sig));
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, out, err });
    }),
  );
}

function assertOk(r: Run, file: string): void {
  assert.equal(r.code, 0, `${file} exited ${r.code ?? r.signal}\nstdout:\n${r.out}\nstderr:\n${r.err}`);
}

describe('examples', { timeout: 3 * RUN_LIMIT_MS }, () => {
  it('library-tunnel: echoes a line through the tunnel and prints the route', async () => {
    const r = await run('library-tunnel.js');
    assertOk(r, 'library-tunnel');
    assert.match(r.out, /^route +alice\/echo: (direct|relay|upnp|public-port) \S+ \S+ <-> \S+ \S+ \(setup \d+ ms\)$/m);
    assert.match(r.out, /^echo +"hello through the tunnel" came back intact$/m);
  });

  it('embedded-server --once: prints its addresses, answers /healthz, stops', async () => {
    const r = await run('embedded-server.js', ['--once']);
    assertOk(r, 'embedded-server');
    assert.match(r.out, /^signal server +ws:\/\/127\.0\.0\.1:\d+ \(health: http:\/\/127\.0\.0\.1:\d+\/healthz\)$/m);
    assert.match(r.out, /^relay +stun:127\.0\.0\.1:\d+ turn:127\.0\.0\.1:\d+\?transport=udp/m);
    assert.match(r.out, /^healthz +ok \(example-signal, 0 peers\)$/m);
    assert.match(r.out, /^stopped$/m);
  });

  it('embedded-server: runs until SIGINT, then stops and exits 0', async () => {
    let sent = false;
    const r = await run('embedded-server.js', [], (out, kill) => {
      if (!sent && /^running/m.test(out)) {
        sent = true;
        kill('SIGINT');
      }
    });
    assert.ok(sent, `never reported running:\n${r.out}\n${r.err}`);
    assertOk(r, 'embedded-server');
    assert.match(r.out, /^stopped$/m);
  });

  it('relay-only: the route is relayed and the line comes back', async () => {
    const r = await run('relay-only.js');
    assertOk(r, 'relay-only');
    // libjuice sometimes names the local end of a relayed pair by its base (host) socket; the remote end is the relay.
    assert.match(r.out, /^route +alice\/echo: relay (relay|host|prflx) 127\.0\.0\.\d+:\d+ <-> relay 127\.0\.0\.1:\d+ /m);
    assert.match(r.out, /^echo +"hello through the relay" came back intact$/m);
  });
});

/**
 * What a child process that stopped answering was doing. Children started with
 * reportEnv(dir) write Node's diagnostic report (JS stack, native stack of the
 * main thread, libuv handles) when sent SIGUSR2; stuckReport() asks for one and
 * condenses it to the stacks, so a wait that times out on a silent child says
 * whether its event loop was idle (waiting on something) or blocked. A blocked
 * main thread cannot write a report (the signal is served by the event loop), so
 * then the threads' native stacks are read with gdb (Debian's, installed by
 * test/install-deps.sh): a deadlock in a native module shows there.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPORT_WAIT_MS = 3000;
const FRAMES = 14;

/**
 * Environment for a node child that writes a diagnostic report to `dir` on SIGUSR2
 * (without its network section: resolving each socket's peer name blocks in a
 * namespace with no DNS).
 */
export function reportEnv(dir: string): NodeJS.ProcessEnv {
  const prior = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  return { NODE_OPTIONS: `${prior}--report-on-signal --report-signal=SIGUSR2 --report-exclude-network --report-directory=${dir}` };
}

interface NodeReport {
  javascriptStack?: { message?: string; stack?: string[] };
}

/** Ask `pid` (started with reportEnv(dir)) for a report and condense it; a line saying why not on failure. */
export async function stuckReport(pid: number | undefined, dir: string): Promise<string> {
  if (pid === undefined) return 'no report: the process has no pid';
  const before = new Set(safeList(dir));
  try {
    process.kill(pid, 'SIGUSR2');
  } catch (err) {
    return `no report: ${(err as Error).message}`;
  }
  const t0 = Date.now();
  while (Date.now() - t0 < REPORT_WAIT_MS) {
    const fresh = safeList(dir).filter((f) => !before.has(f) && f.endsWith('.json') && f.includes(`.${pid}.`));
    if (fresh.length) {
      try {
        const r = JSON.parse(readFileSync(join(dir, fresh[0]!), 'utf8')) as NodeReport;
        const js = r.javascriptStack?.stack?.slice(0, FRAMES).map((l) => l.trim()).filter(Boolean) ?? [];
        return `pid ${pid}: its event loop is not blocked (it wrote ${join(dir, fresh[0]!)})${js.length ? `; JS: ${js.join(' < ')}` : ''}`;
      } catch {
        /* still being written */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return `no report from pid ${pid} within ${REPORT_WAIT_MS} ms: its event loop is blocked\n${await nativeStacks(pid)}`;
}

const GDB = '/usr/bin/gdb';
const GDB_TIMEOUT_MS = 30_000;

/** Every thread's native stack via gdb, condensed: the main thread in full, the others by their top frames. */
function nativeStacks(pid: number): Promise<string> {
  if (!existsSync(GDB)) return Promise.resolve('  (gdb is not installed: no native stacks)');
  return new Promise((resolve) => {
    execFile(GDB, ['-p', String(pid), '-batch', '-nx', '-ex', 'set pagination off', '-ex', 'thread apply all bt 16'], { timeout: GDB_TIMEOUT_MS, maxBuffer: 8 << 20 }, (err, stdout) => {
      if (!stdout) return resolve(`  (gdb failed: ${err?.message ?? 'no output'})`);
      const threads: { head: string; frames: string[] }[] = [];
      for (const line of stdout.split('\n')) {
        if (line.startsWith('Thread ')) threads.push({ head: `thread ${/\(LWP (\d+)\)/.exec(line)?.[1] ?? '?'}`, frames: [] });
        else if (/^#\d+/.test(line) && threads.length) {
          const m = /^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)/.exec(line);
          threads[threads.length - 1]!.frames.push(m?.[1] ?? line.trim());
        }
      }
      const main = threads.find((t) => t.head === `thread ${pid}`);
      const rest = threads.filter((t) => t !== main);
      resolve([
        `  main thread: ${main ? main.frames.join(' < ') : '(not found)'}`,
        ...rest.map((t) => `  ${t.head}: ${t.frames.slice(0, 6).join(' < ')}`),
      ].join('\n'));
    });
  });
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

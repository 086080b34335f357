/**
 * What every p2prc command shares at run time: the output convention (human
 * lines or one JSON object per line on stdout), the default peer name, and the
 * shutdown on SIGINT/SIGTERM. Kept apart from the command files so each of them
 * only says what its command does.
 */
import { hostname } from 'node:os';

export interface Out {
  json: boolean;
  print(human: string, obj: Record<string, unknown>): void;
}
export function out(json: boolean): Out {
  return {
    json,
    print(human, obj) {
      process.stdout.write((json ? JSON.stringify(obj) : human) + '\n');
    },
  };
}

/** What a command needs from the program it hangs off: the global --json flag, read when the command runs. */
export interface CliContext {
  json(): boolean;
}

export function defaultName(): string {
  const h = hostname().replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return h.slice(0, 40) || 'peer';
}

/**
 * Shutdown on SIGINT/SIGTERM: handlers go in before anything is set up (a
 * router port mapping made during start-up must still be removed), and each
 * part registers how to stop it as soon as it exists; they stop in reverse order.
 */
const stoppers: (() => Promise<void>)[] = [];
let signalsInstalled = false;
export function onShutdown(stop: () => Promise<void>): void {
  stoppers.push(stop);
}
export function installSignals(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  let stopping = false;
  const onSig = (sig: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`${sig}: shutting down\n`);
    (async () => {
      for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => onSig('SIGINT'));
  process.on('SIGTERM', () => onSig('SIGTERM'));
}
/** Keep running until a signal: node-datachannel's native handles do not keep the loop alive. */
export function untilSignal(): void {
  installSignals();
  setInterval(() => undefined, 1 << 30);
}

/**
 * Where the public-port bench runs its processes, per setting: the proxy side
 * (the reverse proxy, sshd, the public socat), the peer side (the service and
 * what connects out to the proxy: p2prc expose, ssh -R, the inner socat) and
 * the client. On loopback all three are this machine's 127.0.0.1; in the lab
 * each is a network namespace (lab-setting.ts). A Place spawns a program
 * there on the shared process harness, so every process is killed at exit.
 */
import { createServer, type AddressInfo } from 'node:net';
import { Proc } from '../../test/harness/process.js';
import type { Lab } from '../../test/lab/lab.js';
import { ROOT } from '../common.js';

/** Output lines kept per child (sshd -e and socat stay quiet; p2prc at warn). */
const KEEP_LINES = 400;

export interface Place {
  /** For progress lines: `loopback`, `lab p1`, ... */
  readonly label: string;
  /** The address the others reach this place's listeners on (the proxy's public address). */
  readonly address: string;
  spawn(name: string, command: string, args: string[], opts?: { stdin?: boolean }): Proc;
}

const env = (): NodeJS.ProcessEnv => ({ P2PRC_LOG_LEVEL: process.env.P2PRC_LOG_LEVEL ?? 'warn', ...(process.env.P2PRC_NDC_LOG_LEVEL ? { P2PRC_NDC_LOG_LEVEL: process.env.P2PRC_NDC_LOG_LEVEL } : {}) });
const echo = (): boolean => Boolean(process.env.BENCH_VERBOSE);

/** This machine, 127.0.0.1. */
export function loopbackPlace(label = 'loopback'): Place {
  return {
    label,
    address: '127.0.0.1',
    spawn: (name, command, args, opts = {}) => new Proc(name, args, env(), { command, cwd: ROOT, stdin: opts.stdin ?? false, echo: echo(), maxLines: KEEP_LINES }),
  };
}

/** A host of the lab (its namespace), reached at `address`. */
export function labPlace(lab: Lab, ns: string, address: string, label: string): Place {
  return {
    label,
    address,
    spawn: (name, command, args, opts = {}) => lab.spawn(ns, name, command, args, env(), { stdin: opts.stdin ?? false, echo: echo(), maxLines: KEEP_LINES }),
  };
}

/**
 * A TCP port free on 127.0.0.1 right now (bound and released): for the listeners
 * whose programs cannot report the port they got (sshd, socat). A race with
 * another program is possible but then that listener fails loudly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Which node-datachannel addon this process loaded: the one `native/build.sh` built
 * from source with the project's patches (native/README.md), or node-datachannel's
 * prebuilt one. node-datachannel loads `build/Release/node_datachannel.node` in its
 * own package before its prebuilt package, and build.sh writes `p2prc-build.json`
 * beside that file, so the stamp there tells which patches are in force.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../util/log.js';

/** The relayed DTLS deadlock's fix (libdatachannel#1630; src/peer/stall-reason.ts). */
export const DTLS_DEADLOCK_FIX = 'libdatachannel-dtls-start-on-thread-pool';
/** `setSctpSettings({ maxBurst, minRetransmitTimeout })` reach libdatachannel (`--sctp-max-burst`, `--sctp-min-rto`). */
export const SCTP_SETTINGS_PATCH = 'node-datachannel-sctp-settings';

export interface NativeBuild {
  /** True when the addon was built by native/build.sh. */
  local: boolean;
  /** The patches built in (empty for the prebuilt addon). */
  patches: string[];
  /** The addon's path, when local. */
  path?: string;
}

let cached: NativeBuild | undefined;

function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.resolve('node-datachannel')));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** The addon in use (read once). */
export function nativeBuild(): NativeBuild {
  if (cached) return cached;
  cached = { local: false, patches: [] };
  const root = packageRoot();
  if (root) {
    const addon = join(root, 'build', 'Release', 'node_datachannel.node');
    const stampFile = join(root, 'build', 'Release', 'p2prc-build.json');
    if (existsSync(addon) && existsSync(stampFile)) {
      try {
        const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { patches?: unknown };
        const patches = Array.isArray(stamp.patches) ? stamp.patches.filter((p): p is string => typeof p === 'string') : [];
        cached = { local: true, patches, path: addon };
      } catch {
        /* an unreadable stamp: treat as unknown, i.e. unpatched */
      }
    }
  }
  return cached;
}

export function hasNativePatch(name: string): boolean {
  return nativeBuild().patches.includes(name);
}

/** One line for a peer's start: the addon, and the risk when the deadlock's fix is missing. */
export function describeNativeBuild(): { level: 'info' | 'warn'; text: string } {
  const b = nativeBuild();
  if (b.patches.includes(DTLS_DEADLOCK_FIX)) return { level: 'info', text: `node-datachannel built from source with ${b.patches.join(', ')}` };
  return {
    level: 'warn',
    text: "node-datachannel's addon lacks the relayed DTLS deadlock's fix (libdatachannel#1630): a relayed session can stop every session of this process; build it with `bash native/build.sh` (native/README.md)",
  };
}

let logged = false;

/** Say once per process which addon is in use (a warning without the deadlock's fix). */
export function logNativeBuildOnce(log: Logger): void {
  if (logged) return;
  logged = true;
  const { level, text } = describeNativeBuild();
  log[level](text);
}

/**
 * libdatachannel's own log lines. node-datachannel logs nothing unless given a
 * callback (and the callback is process-wide), so the first PeerNode installs
 * one: its lines go to that node's log at debug level; the end of a DTLS
 * handshake, only a log line, times the sessions' DTLS phase (setup-phases.ts);
 * and the latest warnings and errors are kept so a session that fails can say
 * what the native stack reported (a DTLS or SCTP handshake that never completes
 * leaves no other trace). P2PRC_NDC_LOG_LEVEL=Debug (or Verbose) shows libjuice's
 * checks too, for diagnosis.
 */
import ndc from 'node-datachannel';
import type { Logger } from '../util/log.js';
import { DtlsWatch, dtlsWatch } from './setup-phases.js';

/** How many of libdatachannel's latest lines are kept for failure reports. */
export const NDC_RECENT_LINES = 12;

const recent: string[] = [];
let installed = false;

/** Install the process's libdatachannel log callback once; later calls are no-ops. */
export function installNdcLogger(log: Logger): void {
  if (installed) return;
  installed = true;
  const level = (process.env.P2PRC_NDC_LOG_LEVEL ?? 'Info') as Parameters<typeof ndc.initLogger>[0];
  ndc.initLogger(level, (level, message) => {
    if (DtlsWatch.isFinishedLine(message)) dtlsWatch.finished();
    const line = `${level}: ${message}`;
    if (level === 'Warning' || level === 'Error' || level === 'Fatal') {
      recent.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
      if (recent.length > NDC_RECENT_LINES) recent.shift();
    }
    log.debug(`libdatachannel ${line}`);
  });
}

/** libdatachannel's latest warnings and errors in this process, oldest first (a copy). */
export function recentNdcLines(): string[] {
  return [...recent];
}

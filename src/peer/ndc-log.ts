/**
 * libdatachannel's own log lines. node-datachannel logs nothing unless given a
 * callback (and the callback is process-wide), so the first PeerNode installs
 * one: warnings and errors go to that node's log at debug level, and the most
 * recent ones are kept so a session that fails can say what the native stack
 * reported (a DTLS or SCTP handshake that never completes leaves no other trace).
 */
import ndc from 'node-datachannel';
import type { Logger } from '../util/log.js';

/** How many of libdatachannel's latest lines are kept for failure reports. */
export const NDC_RECENT_LINES = 12;

const recent: string[] = [];
let installed = false;

/** Install the process's libdatachannel log callback once; later calls are no-ops. */
export function installNdcLogger(log: Logger): void {
  if (installed) return;
  installed = true;
  ndc.initLogger('Warning', (level, message) => {
    const line = `${level}: ${message}`;
    recent.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (recent.length > NDC_RECENT_LINES) recent.shift();
    log.debug(`libdatachannel ${line}`);
  });
}

/** libdatachannel's latest warnings and errors in this process, oldest first (a copy). */
export function recentNdcLines(): string[] {
  return [...recent];
}

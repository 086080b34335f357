/**
 * Minimal structured logger. One line per event on stderr, so that stdout stays
 * free for command output (routes, tables, --json). No dependency: the format is
 * small and fixed, and tests grep it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

export type LogSink = (line: string, level: LogLevel) => void;

let globalLevel: LogLevel = (process.env.P2PRC_LOG_LEVEL as LogLevel | undefined) ?? 'info';
if (!(globalLevel in ORDER)) globalLevel = 'info';

export function setLogLevel(level: LogLevel): void {
  globalLevel = level;
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

function fmtValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /^[\w.:/@\-[\]]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

export function createLogger(component: string, sink: LogSink = stderrSink): Logger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < ORDER[globalLevel]) return;
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${msg}`;
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        if (v !== undefined) line += ` ${k}=${fmtValue(v)}`;
      }
    }
    sink(line, level);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (sub) => createLogger(`${component}/${sub}`, sink),
  };
}

/**
 * The injectable logger. The SDK is silent unless a logger is passed; every message and
 * every field is passed through `redact()` before it reaches the logger, so a logger can
 * never receive a token, password, JWT, cookie or key.
 */
import { redact } from '../redact/redact.js';

/** Log levels from most to least severe; `'off'` logs nothing. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** A structured log line's fields (request id, method, redacted URL, status, duration, attempt…). */
export type LogFields = Record<string, unknown>;

/**
 * What the SDK logs to. `console` fits, and so does a thin wrapper around pino or winston.
 *
 * @example
 * ```ts
 * const transport = new Transport({ baseURL, logger: console, logLevel: 'info' });
 * ```
 */
export interface Logger {
  /** A failure the SDK could not work around (most failures reach the caller as typed errors instead). */
  error(message: string, fields?: LogFields): void;
  /** Something unexpected the SDK works around: a 429 hold on a host, a response that does not match its schema. */
  warn(message: string, fields?: LogFields): void;
  /** A recovery step, such as a retry and its delay. */
  info(message: string, fields?: LogFields): void;
  /** Detail: each request with its redacted URL, status and duration; failed attempts; redirects. */
  debug(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

const noop = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({ error: noop, warn: noop, info: noop, debug: noop });

/**
 * Wraps `logger` so that it only receives lines at `level` or more severe, with message and
 * fields redacted. Returns {@link silentLogger} when there is no logger or the level is
 * `'off'`, so disabled logging costs one empty call.
 *
 * @param level - Least severe level passed on. @defaultValue `'debug'` when a logger is given
 */
export function createLogger(logger: Logger | undefined, level: LogLevel = 'debug'): Logger {
  if (!logger || level === 'off') return silentLogger;
  const max = RANK[level];
  const emit =
    (l: Exclude<LogLevel, 'off'>) =>
    (message: string, fields?: LogFields): void => {
      if (RANK[l] > max) return;
      if (fields === undefined) logger[l](redact(message));
      else logger[l](redact(message), redact(fields) as LogFields);
    };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

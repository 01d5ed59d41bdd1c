/**
 * Builds secret-free copies of foreign errors for use as `cause`. An undici `TypeError('fetch
 * failed')` or an abort `reason` supplied by a caller may carry a URL with a token in its query
 * or a header value in its message; the SDK never stores those objects themselves, only a copy
 * whose message and stack went through `redact()`.
 */
import { hasErrorBrand } from '../errors/brand.js';
import { redact } from '../redact/redact.js';

const MAX_CAUSE_DEPTH = 5;

/** Returns a redacted copy of `error` (and of its `cause` chain), or `undefined` for none. */
export function sanitizeCause(error: unknown, depth = 0): unknown {
  if (error === undefined || error === null) return undefined;
  // Our own errors are redacted when built; keep them, so instanceof still works on causes.
  if (hasErrorBrand(error)) return error;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  if (typeof error !== 'object') return new Error(redact(String(error)));
  const source = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
  const copy = new Error(redact(typeof source.message === 'string' ? source.message : String(error)));
  const name = typeof source.name === 'string' ? source.name : 'Error';
  Object.defineProperty(copy, 'name', { value: name, enumerable: false, writable: true, configurable: true });
  if (typeof source.stack === 'string') copy.stack = redact(source.stack);
  // Keep the small, useful, non-secret facts a network error carries (ECONNRESET, UND_ERR_SOCKET…).
  for (const key of ['code', 'errno', 'syscall'] as const) {
    const v = (error as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number') (copy as unknown as Record<string, unknown>)[key] = v;
  }
  const inner = sanitizeCause(source.cause, depth + 1);
  if (inner !== undefined) {
    Object.defineProperty(copy, 'cause', { value: inner, enumerable: false, writable: true, configurable: true });
  }
  return copy;
}

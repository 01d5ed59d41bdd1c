/**
 * Turns what `fetch` threw into a typed SDK error. undici reports every network failure as
 * `TypeError('fetch failed')` with the real reason in `cause`; this unwraps it.
 *
 * @see https://github.com/octokit/request.js/blob/main/src/fetch-wrapper.ts
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { ConnectionError, type RequestTarget } from '../errors/transport-errors.js';
import { sanitizeCause } from '../internal/sanitize.js';

const NETWORK_MESSAGE = /fetch failed|failed to fetch|network|terminated|socket|other side closed/i;

/** The innermost `code` (ECONNRESET, UND_ERR_SOCKET…) and message in an error's cause chain. */
export function networkDetail(error: unknown): { code?: string; reason?: string } {
  let current: unknown = error;
  let code: string | undefined;
  let reason: string | undefined;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string' && e.message !== '' && e.message !== 'fetch failed') reason = e.message;
    current = e.cause;
  }
  return { code, reason };
}

/**
 * Classifies a `fetch` rejection that was neither a caller abort nor our timeout: a
 * `TypeError` without a cause whose message is not a network one is a request that could not
 * be built (invalid header value, bad URL) and becomes an {@link InvalidArgumentError};
 * everything else is a {@link ConnectionError}.
 */
export function classifyFetchError(error: unknown, target: RequestTarget): ConnectionError | InvalidArgumentError {
  const e = error as { name?: unknown; message?: unknown; cause?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.name === 'TypeError' && e.cause === undefined && !NETWORK_MESSAGE.test(message)) {
    // undici quotes the offending value (`Headers.append: "Bearer …" is an invalid header
    // value`), which may be a credential: drop every quoted part.
    const safe = message.replace(/"[^"]*"/g, '"…"');
    // No cause: the original error's message and stack quote the value.
    return new InvalidArgumentError('request', `${target.method} could not be built: ${safe}`, {
      hint: 'Check header values and the URL for invalid characters.',
    });
  }
  return new ConnectionError(target, networkDetail(error), { cause: sanitizeCause(error) });
}

/**
 * Client-side rate limiting: token buckets per request class plus a concurrency bound.
 * A request first takes a token from every rule that matches it (waiting, abortably, when
 * none is free), then a concurrency permit.
 */
import { RateLimitError } from '../errors/api-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import type { Sleep } from '../internal/sleep.js';
import type { Logger } from '../logging/logger.js';
import { Semaphore } from './semaphore.js';
import { TokenBucket } from './token-bucket.js';
import type { RateLimitOptions, RateLimitRequestInfo, RateLimitRule, RequestMatcher } from './types.js';

interface CompiledRule {
  rule: RateLimitRule;
  matches: (request: RateLimitRequestInfo) => boolean;
  bucket: TokenBucket;
  maxWaitMs: number;
}

/** The limiter's dependencies, injected so tests run on a fake clock. */
export interface LimiterDeps {
  now: () => number;
  sleep: Sleep;
  log: Logger;
}

/** Releases a concurrency permit. */
export type Release = () => void;

const noop: Release = () => {};

/** Token buckets + concurrency bound for one transport. */
export class RateLimiter {
  readonly #rules: CompiledRule[];
  readonly #semaphore: Semaphore | undefined;
  readonly #deps: LimiterDeps;

  constructor(options: RateLimitOptions, deps: LimiterDeps) {
    this.#deps = deps;
    const max = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
    if (!(max >= 1) || (Number.isFinite(max) && !Number.isInteger(max))) {
      throw new InvalidArgumentError('rateLimit.maxConcurrency', `expected a positive integer, got ${max}`);
    }
    this.#semaphore = Number.isFinite(max) ? new Semaphore(max) : undefined;
    this.#rules = (options.rules ?? []).map((rule, i) => compile(rule, i));
  }

  /** True when the limiter does anything (lets the transport skip it entirely). */
  get active(): boolean {
    return this.#semaphore !== undefined || this.#rules.length > 0;
  }

  /**
   * Waits for a token of every matching rule, then for a concurrency permit. Returns the
   * function that gives the permit back. Rejects with `signal.reason` when aborted (tokens
   * taken are refunded), or with a `RateLimitError` (source `'client'`) when a rule would wait
   * longer than its `maxWaitMs` (nothing is taken then).
   */
  async acquire(request: RateLimitRequestInfo, signal: AbortSignal | undefined): Promise<Release> {
    const matched = this.#rules.filter((r) => r.matches(request));
    if (matched.length > 0) {
      const now = this.#deps.now();
      let wait = 0;
      for (const r of matched) {
        const d = r.bucket.delay(now);
        if (d > r.maxWaitMs) {
          throw new RateLimitError({
            method: request.method,
            url: request.url.href,
            source: 'client',
            detail: r.rule.name,
            retryAfterMs: d,
          });
        }
        wait = Math.max(wait, d);
      }
      for (const r of matched) r.bucket.reserve(now + wait);
      if (wait > 0) {
        this.#deps.log.info('rate limit: waiting for a token', {
          rules: matched.map((r) => r.rule.name).join(','),
          waitMs: wait,
          method: request.method,
          url: request.url.href,
        });
        try {
          await this.#deps.sleep(wait, signal);
        } catch (error) {
          for (const r of matched) r.bucket.refund();
          throw error;
        }
        if (signal?.aborted) {
          for (const r of matched) r.bucket.refund();
          throw signal.reason;
        }
      }
    }
    if (!this.#semaphore) return noop;
    const semaphore = this.#semaphore;
    await semaphore.acquire(signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      semaphore.release();
    };
  }
}

function compile(rule: RateLimitRule, index: number): CompiledRule {
  const where = `rateLimit.rules[${index}]`;
  if (!rule || typeof rule.name !== 'string' || rule.name === '') {
    throw new InvalidArgumentError(`${where}.name`, 'expected a non-empty string');
  }
  for (const key of ['requests', 'perMs'] as const) {
    const v = rule[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${where}.${key}`, `expected a positive number, got ${String(v)}`, {
        hint: 'Write the limit as { requests: 20, perMs: 60_000 } for 20 per minute.',
      });
    }
  }
  const burst = rule.burst ?? rule.requests;
  if (!(burst >= 1)) throw new InvalidArgumentError(`${where}.burst`, `expected at least 1, got ${burst}`);
  const maxWaitMs = rule.maxWaitMs ?? Number.POSITIVE_INFINITY;
  if (!(maxWaitMs >= 0)) throw new InvalidArgumentError(`${where}.maxWaitMs`, `expected ≥ 0, got ${maxWaitMs}`);
  return {
    rule,
    matches: compileMatcher(rule.match, where),
    bucket: new TokenBucket(rule.requests, rule.perMs, burst),
    maxWaitMs,
  };
}

function compileMatcher(match: RequestMatcher | undefined, where: string): (r: RateLimitRequestInfo) => boolean {
  if (match === undefined) return () => true;
  if (typeof match === 'function') return match;
  if (typeof match !== 'object' || match === null) {
    throw new InvalidArgumentError(`${where}.match`, 'expected an object { method, host, path } or a function');
  }
  const methods =
    match.method === undefined
      ? undefined
      : new Set((Array.isArray(match.method) ? match.method : [match.method]).map((m: string) => m.toUpperCase()));
  const { host, path } = match;
  return (r) =>
    (methods === undefined || methods.has(r.method)) &&
    (host === undefined || r.url.host === host) &&
    (path === undefined || (typeof path === 'string' ? r.url.pathname.startsWith(path) : path.test(r.url.pathname)));
}

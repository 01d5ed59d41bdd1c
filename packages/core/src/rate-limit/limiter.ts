/**
 * Admission of requests: host holds after a 429, rate rules and the concurrency bound, in one
 * FIFO queue. A request is admitted (and must be sent at once) only when, at that moment, its
 * host is not held, every rule that matches it has room, and a concurrency permit is free.
 *
 * Why one queue rather than a hold check, then a token wait, then a semaphore: each of those
 * steps used to be checked once and then trusted while the request slept in the next one, so
 * a request already waiting for a token or a permit went out during a 429 hold, and everyone
 * released by a hold went out at once. Here nothing is reserved while waiting: tokens and
 * permits are taken at the instant of admission, so an aborted waiter simply leaves the line
 * (there is nothing to give back), and requests released by a hold re-enter the rules in order.
 *
 * Order: waiters are admitted in arrival order among those that share a rule (a later request
 * never overtakes an earlier one on the same rule); a request blocked by one rule does not
 * block requests that do not use that rule (a POST waiting an hour for its token does not stop
 * GETs). The concurrency bound is strictly FIFO.
 */
import { RateLimitError } from '../errors/api-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { onAbort } from '../internal/abort.js';
import type { Sleep } from '../internal/sleep.js';
import type { Logger } from '../logging/logger.js';
import type { RateLimitOptions, RateLimitRequestInfo, RateLimitRule, RequestMatcher } from './types.js';
import { type Rate, SlidingWindow, TokenBucket } from './window.js';

interface CompiledRule {
  rule: RateLimitRule;
  matches: (request: RateLimitRequestInfo) => boolean;
  rate: Rate;
  maxWaitMs: number;
}

/** The limiter's dependencies, injected so tests run on a virtual clock. */
export interface LimiterDeps {
  now: () => number;
  sleep: Sleep;
  log: Logger;
  /** Longest hold a request waits for; a longer one is refused with `RateLimitError` (source `'hold'`). */
  maxHoldWaitMs: number;
}

/** Gives back a concurrency permit (idempotent). */
export type Release = () => void;

/** Rejection reason when a request's deadline passes (or would pass) while it waits. */
export class DeadlineReached {
  /** @param waitMs - How long the request would still have had to wait, when known. */
  constructor(readonly waitMs: number | undefined) {}
}

interface Waiter {
  request: RateLimitRequestInfo;
  key: string;
  rules: CompiledRule[];
  deadlineAt: number;
  resolve: (release: Release) => void;
  reject: (reason: unknown) => void;
  unsubscribe: () => void;
  /** Logged once that it waits, so a long wait is one line, not one per wake-up. */
  logged: boolean;
}

/** Longest hold the transport ever keeps, whatever a service says: one day. */
export const MAX_HOLD_MS = 86_400_000;

/** Holds, rate rules and the concurrency bound of one transport. */
export class RateLimiter {
  readonly #rules: CompiledRule[];
  readonly #max: number;
  readonly #deps: LimiterDeps;
  readonly #queue: Waiter[] = [];
  readonly #holds = new Map<string, number>();
  #inFlight = 0;
  #timer: { at: number; controller: AbortController } | undefined;

  constructor(options: RateLimitOptions, deps: LimiterDeps) {
    this.#deps = deps;
    const max = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
    if (!(max >= 1) || (Number.isFinite(max) && !Number.isInteger(max))) {
      throw new InvalidArgumentError('rateLimit.maxConcurrency', `expected a positive integer, got ${max}`);
    }
    this.#max = max;
    this.#rules = (options.rules ?? []).map((rule, i) => compile(rule, i));
  }

  /** True when admission can make a request wait (rules, a concurrency bound, or a hold). */
  get active(): boolean {
    if (this.#rules.length > 0 || Number.isFinite(this.#max)) return true;
    if (this.#holds.size === 0) return false;
    // Forget ended holds, so that a transport without rules leaves the fast path only while held.
    const now = this.#deps.now();
    for (const [key, until] of this.#holds) if (until <= now) this.#holds.delete(key);
    return this.#holds.size > 0 || this.#queue.length > 0;
  }

  /**
   * Holds every request with hold key `key` until `until` (ms since the epoch), bounded by
   * {@link MAX_HOLD_MS}; a longer hold already in place is kept.
   */
  hold(key: string, until: number): void {
    const bounded = Math.min(until, this.#deps.now() + MAX_HOLD_MS);
    if (bounded > (this.#holds.get(key) ?? Number.NEGATIVE_INFINITY)) this.#holds.set(key, bounded);
  }

  /** Milliseconds left on the hold of `key` (0 when none). */
  holdRemaining(key: string): number {
    const until = this.#holds.get(key);
    if (until === undefined) return 0;
    const now = this.#deps.now();
    if (until <= now) {
      this.#holds.delete(key);
      return 0;
    }
    return until - now;
  }

  /** Ends the hold of `key`, or every hold; waiting requests are admitted at once (rules permitting). */
  clearHolds(key?: string): void {
    if (key === undefined) this.#holds.clear();
    else this.#holds.delete(key);
    this.#pump();
  }

  /**
   * Waits until the request may be sent, then returns the function that gives its concurrency
   * permit back. Rejects with `signal.reason` when aborted, with {@link DeadlineReached} when
   * `deadlineAt` passes (or the wait is known to end after it), and with `RateLimitError` when
   * a hold is longer than `maxHoldWaitMs` or a rule would wait longer than its `maxWaitMs`.
   */
  admit(
    request: RateLimitRequestInfo,
    key: string,
    signal: AbortSignal | undefined,
    deadlineAt = Number.POSITIVE_INFINITY,
  ): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const rules = this.#rules.length === 0 ? [] : this.#rules.filter((r) => r.matches(request));
    const now = this.#deps.now();
    // Refuse at once what is known to wait too long: nothing is queued then.
    const refusal = this.#refusal(request, key, rules, now, deadlineAt);
    if (refusal !== undefined) return Promise.reject(refusal);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        key,
        rules,
        deadlineAt,
        resolve,
        reject,
        unsubscribe: () => {},
        logged: false,
      };
      this.#queue.push(waiter);
      waiter.unsubscribe = onAbort(signal, () => {
        // Leaves the line exactly once; nothing was reserved, so nothing is given back.
        if (this.#remove(waiter)) {
          reject(signal?.reason);
          this.#pump();
        }
      });
      this.#pump();
    });
  }

  /** What a new request would be refused for, before it queues. */
  #refusal(
    request: RateLimitRequestInfo,
    key: string,
    rules: CompiledRule[],
    now: number,
    deadlineAt: number,
  ): unknown {
    const held = this.holdRemaining(key);
    if (held > this.#deps.maxHoldWaitMs) {
      return new RateLimitError({ method: request.method, url: request.url.href, source: 'hold', retryAfterMs: held });
    }
    let start = now + held;
    for (const r of rules) {
      // Estimating the start walks the line: only when a limit can refuse the request.
      if (r.maxWaitMs === Number.POSITIVE_INFINITY && deadlineAt === Number.POSITIVE_INFINITY) continue;
      const ahead = this.#queue.reduce((n, w) => (w.rules.includes(r) ? n + 1 : n), 0);
      const at = r.rate.startAfter(now, ahead);
      if (at - now > r.maxWaitMs) {
        return new RateLimitError({
          method: request.method,
          url: request.url.href,
          source: 'client',
          detail: r.rule.name,
          retryAfterMs: at - now,
        });
      }
      start = Math.max(start, at);
    }
    if (start > deadlineAt || now >= deadlineAt) return new DeadlineReached(start - now);
    return undefined;
  }

  #remove(waiter: Waiter): boolean {
    const i = this.#queue.indexOf(waiter);
    if (i === -1) return false;
    this.#queue.splice(i, 1);
    waiter.unsubscribe();
    return true;
  }

  /** Admits every waiter that may go now, in order, and sets one timer for the next change. */
  #pump(): void {
    if (this.#queue.length === 0) {
      this.#cancelTimer();
      return;
    }
    const now = this.#deps.now();
    let wake = Number.POSITIVE_INFINITY;
    const blockedRules = new Set<CompiledRule>();
    for (let i = 0; i < this.#queue.length; ) {
      const w = this.#queue[i] as Waiter;
      if (now >= w.deadlineAt) {
        this.#queue.splice(i, 1);
        w.unsubscribe();
        w.reject(new DeadlineReached(undefined));
        continue;
      }
      let at = now;
      let refusal: unknown;
      const held = this.holdRemaining(w.key);
      if (held > 0) {
        at = now + held;
        // A hold set (or extended) while it waited, beyond what the transport waits for.
        if (held > this.#deps.maxHoldWaitMs) {
          refusal = new RateLimitError({
            method: w.request.method,
            url: w.request.url.href,
            source: 'hold',
            retryAfterMs: held,
          });
        }
      }
      let sharesBlockedRule = false;
      let ruleAt = now;
      for (const r of w.rules) {
        if (blockedRules.has(r)) sharesBlockedRule = true;
        else if (refusal === undefined) {
          const start = r.rate.nextStart(now);
          if (start - now > r.maxWaitMs) {
            refusal = new RateLimitError({
              method: w.request.method,
              url: w.request.url.href,
              source: 'client',
              detail: r.rule.name,
              retryAfterMs: start - now,
            });
          }
          ruleAt = Math.max(ruleAt, start);
        }
      }
      at = Math.max(at, ruleAt);
      if (refusal === undefined && !sharesBlockedRule && at > w.deadlineAt) refusal = new DeadlineReached(at - now);
      if (refusal !== undefined) {
        this.#queue.splice(i, 1);
        w.unsubscribe();
        w.reject(refusal);
        continue;
      }
      const concurrencyFull = this.#inFlight >= this.#max;
      if (sharesBlockedRule || at > now || concurrencyFull) {
        // Keep its place in line on its rules, unless only a hold stops it: a hold on one host
        // must not stop another host's requests that share a rule.
        if (sharesBlockedRule || ruleAt > now || concurrencyFull) for (const r of w.rules) blockedRules.add(r);
        if (!sharesBlockedRule && at > now) wake = Math.min(wake, at);
        wake = Math.min(wake, w.deadlineAt);
        if (!w.logged && at > now) {
          w.logged = true;
          this.#deps.log.info(held > 0 ? 'waiting for a rate-limit hold' : 'rate limit: waiting for a token', {
            rules: w.rules.map((r) => r.rule.name).join(',') || undefined,
            waitMs: at - now,
            method: w.request.method,
            url: w.request.url.href,
          });
        }
        i++;
        continue;
      }
      // Admit: take from every rule now, at the instant the request goes out.
      for (const r of w.rules) r.rate.take(now);
      this.#inFlight++;
      this.#queue.splice(i, 1);
      w.unsubscribe();
      w.resolve(this.#releaser());
    }
    this.#schedule(wake, now);
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (this.#queue.length > 0) this.#pump();
    };
  }

  #schedule(wake: number, now: number): void {
    if (wake === Number.POSITIVE_INFINITY) {
      this.#cancelTimer();
      return;
    }
    if (this.#timer && this.#timer.at === wake) return;
    this.#cancelTimer();
    const timer = { at: wake, controller: new AbortController() };
    this.#timer = timer;
    this.#deps.sleep(Math.max(0, wake - now), timer.controller.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        this.#pump();
      },
      () => {},
    );
  }

  #cancelTimer(): void {
    if (!this.#timer) return;
    const { controller } = this.#timer;
    this.#timer = undefined;
    controller.abort();
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
  const maxWaitMs = rule.maxWaitMs ?? Number.POSITIVE_INFINITY;
  if (!(maxWaitMs >= 0)) throw new InvalidArgumentError(`${where}.maxWaitMs`, `expected ≥ 0, got ${maxWaitMs}`);
  let rate: Rate;
  if (rule.burst === undefined) {
    if (!Number.isInteger(rule.requests)) {
      throw new InvalidArgumentError(
        `${where}.requests`,
        `a sliding window needs a whole number of requests, got ${rule.requests}`,
        {
          hint: 'Scale both numbers (0.5 per second is { requests: 1, perMs: 2_000 }), or set burst for a token bucket.',
        },
      );
    }
    rate = new SlidingWindow(rule.requests, rule.perMs);
  } else {
    if (!(rule.burst >= 1)) throw new InvalidArgumentError(`${where}.burst`, `expected at least 1, got ${rule.burst}`);
    rate = new TokenBucket(rule.requests, rule.perMs, rule.burst);
  }
  return { rule, matches: compileMatcher(rule.match, where), rate, maxWaitMs };
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

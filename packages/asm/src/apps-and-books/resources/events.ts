/** `client.events`: the status of asynchronous operations (associate, disassociate). */
import { AbortError, InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import { EventTimeoutError } from '../errors.js';
import type { Session } from '../internal/session.js';
import { StatusResponse } from '../schemas.js';
import type { EventStatus, EventWaitOptions } from '../types.js';

/** The events resource. */
export class EventsResource {
  readonly #session: Session;

  /** @internal Use `client.events`. */
  constructor(session: Session) {
    this.#session = session;
  }

  /**
   * The status of an event (`GET status?eventId=`). A `FAILED` event is a result, not an
   * exception: its `failures[]` say which serial numbers failed and why (9709: not enough
   * licences), so one bad device never hides the others.
   */
  async get(eventId: string, options: RequestOptions = {}): Promise<EventStatus> {
    if (typeof eventId !== 'string' || eventId.trim() === '') {
      throw new InvalidArgumentError('eventId', 'expected the event id returned by associate/disassociate');
    }
    const raw = await this.#session.call(
      { method: 'GET', path: 'status', query: { eventId }, schema: StatusResponse, what: 'event status' },
      options,
    );
    const failures = raw.failures ?? [];
    const failed = new Set<string>();
    for (const f of failures) for (const s of f.errorInfo?.serialNumbers ?? []) failed.add(s);
    return {
      eventId,
      eventStatus: raw.eventStatus,
      eventType: raw.eventType,
      numCompleted: raw.numCompleted,
      numRequested: raw.numRequested,
      failures,
      failedSerialNumbers: [...failed],
      done: raw.eventStatus !== 'PENDING',
    };
  }

  /**
   * Reads the event's status every `pollIntervalMs` until it is no longer `PENDING`, and returns
   * it (`COMPLETE`, or `FAILED` with per-serial `failures`).
   *
   * @throws EventTimeoutError after `timeoutMs`; AbortError when `signal` aborts.
   * @example
   * ```ts
   * const eventId = await client.assets.associate({ assets: ['361309726'], serialNumbers });
   * const done = await client.events.waitUntilDone(eventId, { pollIntervalMs: 2_000 });
   * for (const f of done.failures) console.warn(f.errorNumber, f.errorInfo?.serialNumbers);
   * ```
   */
  async waitUntilDone(eventId: string, options: EventWaitOptions = {}): Promise<EventStatus> {
    const interval = options.pollIntervalMs ?? 5_000;
    const timeoutMs = options.timeoutMs ?? 600_000;
    if (!(interval > 0) || !Number.isFinite(interval)) {
      throw new InvalidArgumentError('pollIntervalMs', `expected a number of ms > 0, got ${String(interval)}`);
    }
    if (!(timeoutMs > 0))
      throw new InvalidArgumentError('timeoutMs', `expected a number of ms > 0, got ${String(timeoutMs)}`);
    const { signal } = options;
    const now = this.#session.now;
    const started = now();
    const target = { method: 'GET', url: `${this.#session.baseURL}/status` };
    for (;;) {
      const status = await this.get(eventId, { signal });
      if (status.done) return status;
      const left = timeoutMs - (now() - started);
      if (left <= 0) throw new EventTimeoutError(eventId, timeoutMs, status);
      try {
        await this.#session.sleep(Math.min(interval, left), signal);
      } catch (error) {
        if (signal?.aborted) throw new AbortError(target, { cause: signal.reason });
        throw error;
      }
      if (signal?.aborted) throw new AbortError(target, { cause: signal.reason });
    }
  }
}

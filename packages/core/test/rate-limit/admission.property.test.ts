/**
 * The admission queue (holds + rules + concurrency) under random arrivals, aborts and holds,
 * on the virtual clock: a rule never lets more than N start in any W ms, requests are admitted
 * in arrival order, an aborted waiter never takes (or frees) a slot, nobody starts during a
 * hold, and every request that was not aborted is admitted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/index.js';
import { RateLimiter } from '../../src/rate-limit/limiter.js';
import { VirtualClock } from '../support/clock.js';

const url = new URL('https://api.test/x');

describe('admission (property)', () => {
  it('keeps the window, the order and the holds whatever arrives and aborts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 50, max: 1000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 300 }),
            abortAfter: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
            busy: fc.integer({ min: 0, max: 400 }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.option(fc.record({ at: fc.integer({ min: 0, max: 2000 }), length: fc.integer({ min: 1, max: 3000 }) }), {
          nil: undefined,
        }),
        async (n, w, maxConcurrency, ops, hold) => {
          const clock = new VirtualClock();
          const t0 = clock.now;
          const limiter = new RateLimiter(
            { maxConcurrency, rules: [{ name: 'r', requests: n, perMs: w }] },
            { now: clock.clock, sleep: clock.sleep, log: silentLogger, maxHoldWaitMs: Number.POSITIVE_INFINITY },
          );
          const admitted: { index: number; at: number }[] = [];
          const aborted = new Set<number>();
          let inFlight = 0;
          let maxInFlight = 0;
          const jobs: Promise<void>[] = [];
          if (hold) {
            jobs.push(
              clock.sleep(hold.at).then(() => {
                limiter.hold('k', clock.now + hold.length);
              }),
            );
          }
          let arrival = 0;
          ops.forEach((op, index) => {
            arrival += op.gap;
            jobs.push(
              clock.sleep(arrival).then(async () => {
                const controller = new AbortController();
                if (op.abortAfter !== undefined) {
                  clock.sleep(op.abortAfter).then(() => controller.abort(new Error('stop')));
                }
                let release: () => void;
                try {
                  release = await limiter.admit({ method: 'GET', url }, 'k', controller.signal);
                } catch {
                  aborted.add(index);
                  return;
                }
                admitted.push({ index, at: clock.now - t0 });
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                await clock.sleep(op.busy);
                inFlight--;
                release();
              }),
            );
          });
          await clock.run(Promise.all(jobs));

          // Everyone not aborted got in; nobody got in twice.
          expect(admitted.length + aborted.size).toBe(ops.length);
          expect(new Set(admitted.map((a) => a.index)).size).toBe(admitted.length);
          // Arrival order.
          const order = admitted.map((a) => a.index);
          expect(order).toEqual([...order].sort((a, b) => a - b));
          // The window.
          const times = admitted.map((a) => a.at);
          for (let i = 0; i + n < times.length; i++) {
            expect((times[i + n] as number) - (times[i] as number)).toBeGreaterThanOrEqual(w);
          }
          // Concurrency.
          expect(maxInFlight).toBeLessThanOrEqual(maxConcurrency);
          // Nobody started during the hold.
          if (hold) {
            for (const t of times) expect(t > hold.at && t < hold.at + hold.length).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

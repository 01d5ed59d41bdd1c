/** The two rate shapes behind client-side rate limiting: a sliding window and a token bucket (GCRA). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingWindow, TokenBucket } from '../../src/rate-limit/window.js';

/** Takes `n` starts as early as the rate allows, from `t`; returns their times. */
function drain(rate: SlidingWindow | TokenBucket, t: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = rate.nextStart(t);
    rate.take(at);
    out.push(at - t);
  }
  return out;
}

describe('TokenBucket (GCRA, explicit burst)', () => {
  it('lets a burst through, then spaces requests by perMs / requests', () => {
    expect(drain(new TokenBucket(20, 60_000, 3), 1_000_000, 5)).toEqual([0, 0, 0, 3000, 6000]);
  });

  it('refills while idle, never above the burst', () => {
    const b = new TokenBucket(10, 1000, 2);
    b.take(0);
    b.take(0);
    expect(b.nextStart(0)).toBe(100);
    expect(b.nextStart(10_000)).toBe(10_000);
    b.take(10_000);
    b.take(10_000);
    expect(b.nextStart(10_000)).toBe(10_100);
  });

  it('predicts the start of a request further back in line', () => {
    const b = new TokenBucket(10, 1000, 1);
    expect(b.startAfter(0, 0)).toBe(0);
    expect(b.startAfter(0, 3)).toBe(300);
    b.take(0);
    expect(b.startAfter(0, 2)).toBe(300);
  });
});

describe('SlidingWindow (a rule without burst)', () => {
  it('lets N go, then the N+1th exactly one window after the first', () => {
    expect(drain(new SlidingWindow(3, 1000), 0, 7)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('predicts the start of a request further back in line', () => {
    const w = new SlidingWindow(2, 1000);
    w.take(0);
    expect(w.startAfter(0, 0)).toBe(0);
    expect(w.startAfter(0, 1)).toBe(1000);
    expect(w.startAfter(0, 2)).toBe(1000);
    expect(w.startAfter(0, 3)).toBe(2000);
  });

  it('never lets more than N start in any window of W ms (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 120 }),
        (n, w, gaps) => {
          const rate = new SlidingWindow(n, w);
          let t = 0;
          const starts: number[] = [];
          for (const gap of gaps) {
            t += gap;
            const at = rate.nextStart(t);
            rate.take(at);
            starts.push(at);
            t = at;
          }
          for (let i = 0; i + n < starts.length; i++) {
            expect((starts[i + n] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(w);
          }
        },
      ),
    );
  });
});

/** The token bucket (GCRA) and the concurrency semaphore behind client-side rate limiting. */
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/rate-limit/semaphore.js';
import { TokenBucket } from '../../src/rate-limit/token-bucket.js';

describe('TokenBucket (GCRA)', () => {
  it('lets a burst through, then spaces requests by perMs / requests', () => {
    const b = new TokenBucket(20, 60_000, 3);
    const t = 1_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = b.delay(t);
      waits.push(d);
      b.reserve(t + d);
    }
    expect(waits).toEqual([0, 0, 0, 3000, 6000]);
  });

  it('refills while idle, never above the burst', () => {
    const b = new TokenBucket(10, 1000, 2);
    b.reserve(0);
    b.reserve(0);
    expect(b.delay(0)).toBe(100);
    expect(b.delay(10_000)).toBe(0);
    b.reserve(10_000);
    b.reserve(10_000);
    expect(b.delay(10_000)).toBe(100);
  });

  it('gives back a refunded token', () => {
    const b = new TokenBucket(1, 1000, 1);
    b.reserve(0);
    expect(b.delay(0)).toBe(1000);
    b.refund();
    expect(b.delay(0)).toBe(0);
  });
});

describe('Semaphore', () => {
  it('hands permits out in FIFO order and lets a waiter abort', async () => {
    const s = new Semaphore(1);
    await s.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const a = s.acquire().then(() => order.push('a'));
    const b = s.acquire(controller.signal).then(
      () => order.push('b'),
      () => order.push('b aborted'),
    );
    const c = s.acquire().then(() => order.push('c'));
    controller.abort();
    await b;
    s.release();
    await a;
    s.release();
    await c;
    expect(order).toEqual(['b aborted', 'a', 'c']);
    await expect(s.acquire(AbortSignal.abort())).rejects.toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { AbortError, chunk, InvalidArgumentError, runBatch } from '../../src/index.js';

describe('chunk', () => {
  it('splits in order with a shorter last chunk', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2], 5)).toEqual([[1, 2]]);
    expect(chunk([], 3)).toEqual([]);
    expect(chunk(new Set(['a', 'b', 'c']), 2)).toEqual([['a', 'b'], ['c']]);
  });

  it('splits 2,500 serials into DEP-sized batches of 1,000', () => {
    const serials = Array.from({ length: 2500 }, (_, i) => `S${i}`);
    expect(chunk(serials, 1000).map((c) => c.length)).toEqual([1000, 1000, 500]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects size %s', (size) => {
    expect(() => chunk([1], size)).toThrow(InvalidArgumentError);
    expect(() => chunk([1], size)).toThrow(/Invalid size: expected a positive integer/);
  });

  it('rejects something that is not iterable', () => {
    expect(() => chunk(null as unknown as number[], 2)).toThrow(InvalidArgumentError);
  });
});

describe('runBatch', () => {
  it('collects every failure instead of stopping at the first', async () => {
    const result = await runBatch([1, 2, 3, 4, 5], async (n) => {
      if (n % 2 === 0) throw new Error(`bad ${n}`);
      return n * 10;
    });
    expect(result.succeeded).toEqual([
      { item: 1, index: 0, value: 10 },
      { item: 3, index: 2, value: 30 },
      { item: 5, index: 4, value: 50 },
    ]);
    expect(result.failed.map((f) => [f.item, f.index, (f.error as Error).message])).toEqual([
      [2, 1, 'bad 2'],
      [4, 3, 'bad 4'],
    ]);
    expect(result.aborted).toBe(false);
  });

  it('catches synchronous throws and non-Error rejections', async () => {
    const result = await runBatch(['a', 'b'], (s) => {
      if (s === 'a') throw 'plain string';
      return Promise.reject(42);
    });
    expect(result.failed.map((f) => f.error)).toEqual(['plain string', 42]);
  });

  it('runs at most `concurrency` workers at once and keeps input order in the result', async () => {
    let active = 0;
    let peak = 0;
    const result = await runBatch(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        active++;
        peak = Math.max(peak, active);
        for (let i = 0; i < (n % 3) + 1; i++) await new Promise((r) => setImmediate(r));
        active--;
        return n;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(result.succeeded.map((s) => s.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('reports progress after each item', async () => {
    const progress: string[] = [];
    await runBatch(
      [1, 2, 3],
      async (n) => {
        if (n === 2) throw new Error('x');
      },
      { concurrency: 1, onProgress: (p) => progress.push(`${p.done}/${p.total} failed ${p.failed}`) },
    );
    expect(progress).toEqual(['1/3 failed 0', '2/3 failed 1', '3/3 failed 1']);
  });

  it('on abort, stops starting items and reports the rest as AbortError failures', async () => {
    const controller = new AbortController();
    const signals: (AbortSignal | undefined)[] = [];
    const result = await runBatch(
      [1, 2, 3, 4],
      async (n, _i, { signal }) => {
        signals.push(signal);
        if (n === 2) controller.abort();
        return n;
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(result.aborted).toBe(true);
    expect(result.succeeded.map((s) => s.item)).toEqual([1, 2]);
    expect(result.failed.map((f) => f.item)).toEqual([3, 4]);
    expect(result.failed[0]?.error).toBeInstanceOf(AbortError);
    expect(signals).toEqual([controller.signal, controller.signal]);
  });

  it('handles an empty input and rejects bad options', async () => {
    expect(await runBatch([], async () => 1)).toEqual({ succeeded: [], failed: [], aborted: false });
    await expect(runBatch([1], async () => 1, { concurrency: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(runBatch([1], 'x' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(runBatch(undefined as never, async () => 1)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

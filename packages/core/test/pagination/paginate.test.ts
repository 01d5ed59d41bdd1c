import { describe, expect, it } from 'vitest';
import { AbortError, InvalidArgumentError, PaginationError, paginate } from '../../src/index.js';

type Page = { items: number[]; next?: string };

function cursorApi(pages: Record<string, Page>) {
  const calls: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined) => {
    calls.push(cursor);
    const page = pages[cursor ?? 'start'];
    if (!page) throw new Error(`no page ${cursor}`);
    return page;
  };
  return { calls, fetchPage };
}

describe('paginate (cursor)', () => {
  const api = () =>
    cursorApi({ start: { items: [1, 2], next: 'c1' }, c1: { items: [3], next: 'c2' }, c2: { items: [4, 5] } });

  it('is lazy, yields pages until there is no cursor, and restarts on each iteration', async () => {
    const { calls, fetchPage } = api();
    const p = paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg: Page) => pg.next, items: (pg) => pg.items });
    expect(calls).toEqual([]);
    const pages = [];
    for await (const page of p) pages.push(page.items);
    expect(pages).toEqual([[1, 2], [3], [4, 5]]);
    expect(calls).toEqual([undefined, 'c1', 'c2']);
    const items = [];
    for await (const item of p.items()) items.push(item);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toHaveLength(6);
  });

  it('toArray stops at the limit without fetching more', async () => {
    const { calls, fetchPage } = api();
    const p = paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg: Page) => pg.next, items: (pg) => pg.items });
    expect(await p.toArray({ limit: 3 })).toEqual([1, 2, 3]);
    expect(calls).toEqual([undefined, 'c1']);
    expect(await p.toArray({ limit: 0 })).toEqual([]);
    await expect(p.toArray({ limit: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('starts from initialCursor and treats "" and null as the end', async () => {
    const { calls, fetchPage } = cursorApi({ c1: { items: [3], next: '' } });
    const p = paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg: Page) => pg.next, initialCursor: 'c1' });
    expect((await arrayOf(p)).length).toBe(1);
    expect(calls).toEqual(['c1']);
    const q = paginate({ strategy: 'cursor', fetchPage: async () => ({ n: null }), nextCursor: (pg) => pg.n });
    expect((await arrayOf(q)).length).toBe(1);
  });

  it('throws PaginationError on a repeated cursor (any earlier one, not only the last)', async () => {
    const { fetchPage } = cursorApi({
      start: { items: [1], next: 'a' },
      a: { items: [2], next: 'b' },
      b: { items: [3], next: 'a' },
    });
    const p = paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg: Page) => pg.next });
    const err = (await arrayOf(p).catch((e: unknown) => e)) as PaginationError;
    expect(err).toBeInstanceOf(PaginationError);
    expect(err.reason).toBe('repeated-cursor');
    expect(err.pageIndex).toBe(3);
    expect(err.message).toContain('cursor "a" a second time');
    expect(err.hint).toContain("onRepeatedCursor: 'stop'");
  });

  it("stops quietly on a repeated cursor with onRepeatedCursor: 'stop' (DEP)", async () => {
    const { fetchPage } = cursorApi({ start: { items: [1], next: 'a' }, a: { items: [2], next: 'a' } });
    const p = paginate({
      strategy: 'cursor',
      fetchPage,
      nextCursor: (pg: Page) => pg.next,
      items: (pg) => pg.items,
      onRepeatedCursor: 'stop',
    });
    expect(await p.toArray({ limit: 10 })).toEqual([1, 2]);
  });

  it('compares object cursors by value', async () => {
    let n = 0;
    const p = paginate({
      strategy: 'cursor',
      fetchPage: async () => ({ n: n++ }),
      nextCursor: () => ({ offset: 1 }),
    });
    await expect(arrayOf(p)).rejects.toMatchObject({ reason: 'repeated-cursor' });
  });

  it('enforces maxPages: throws by default, stops on request', async () => {
    let i = 0;
    const fetchPage = async (): Promise<{ next: string }> => ({ next: `c${++i}` });
    await expect(
      arrayOf(paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg) => pg.next, maxPages: 3 })),
    ).rejects.toMatchObject({ reason: 'max-pages', pageIndex: 3 });
    i = 0;
    const pages = await arrayOf(
      paginate({ strategy: 'cursor', fetchPage, nextCursor: (pg) => pg.next, maxPages: 3, onMaxPages: 'stop' }),
    );
    expect(pages).toHaveLength(3);
  });

  it('passes its signal to fetchPage and stops when it aborts', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const p = paginate({
      strategy: 'cursor',
      signal: controller.signal,
      fetchPage: async (_c, { signal, pageIndex }) => {
        seen.push(signal);
        if (pageIndex === 1) controller.abort();
        return { next: `c${pageIndex}` };
      },
      nextCursor: (pg) => pg.next,
    });
    await expect(arrayOf(p)).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual([controller.signal, controller.signal]);
  });

  it('propagates a fetchPage error as is', async () => {
    const boom = new Error('boom');
    const p = paginate({
      strategy: 'cursor',
      fetchPage: async () => Promise.reject(boom),
      nextCursor: () => undefined,
    });
    await expect(arrayOf(p)).rejects.toBe(boom);
  });
});

describe('paginate (page number)', () => {
  const rows = Array.from({ length: 7 }, (_, i) => i);
  const api = (first: number) => {
    const calls: number[] = [];
    return {
      calls,
      fetchPage: async (page: number) => {
        calls.push(page);
        const start = (page - first) * 3;
        return { devices: rows.slice(start, start + 3), rows: String(rows.length) };
      },
    };
  };

  it('continues while hasNextPage says so, counting items (Mosyle rows)', async () => {
    const { calls, fetchPage } = api(1);
    const p = paginate({
      strategy: 'page',
      fetchPage,
      items: (pg) => pg.devices,
      hasNextPage: (pg, { itemCount }) => itemCount < Number(pg.rows),
    });
    expect(await p.toArray({ limit: 100 })).toEqual(rows);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('supports 0-based pages and stops at the first empty page without hasNextPage', async () => {
    const { calls, fetchPage } = api(0);
    const p = paginate({ strategy: 'page', firstPage: 0, fetchPage, items: (pg) => pg.devices });
    expect(await p.toArray({ limit: 100 })).toEqual(rows);
    expect(calls).toEqual([0, 1, 2, 3]);
  });

  it('yields an empty first page (so its envelope is seen) and stops', async () => {
    const p = paginate({
      strategy: 'page',
      fetchPage: async () => ({ devices: [] as number[], rows: '0' }),
      items: (pg) => pg.devices,
      hasNextPage: () => true,
    });
    expect(await arrayOf(p)).toEqual([{ devices: [], rows: '0' }]);
  });

  it('detects a page that repeats (the service ignored the page number)', async () => {
    const fetchPage = async () => ({ devices: [1, 2], first: 'A' });
    const base = {
      strategy: 'page' as const,
      fetchPage,
      items: (pg: { devices: number[] }) => pg.devices,
      pageKey: (pg: { first: string }) => pg.first,
    };
    await expect(arrayOf(paginate(base))).rejects.toMatchObject({ reason: 'repeated-page', pageIndex: 1 });
    expect(await arrayOf(paginate({ ...base, onRepeatedPage: 'stop' }))).toHaveLength(1);
  });

  it('enforces maxPages', async () => {
    const p = paginate({ strategy: 'page', fetchPage: async (n) => ({ n }), hasNextPage: () => true, maxPages: 2 });
    await expect(arrayOf(p)).rejects.toBeInstanceOf(PaginationError);
  });
});

describe('paginate options', () => {
  it.each([
    [
      { strategy: 'cursor', fetchPage: async () => ({}), nextCursor: (): undefined => undefined, maxPages: 0 },
      'maxPages',
    ],
    [{ strategy: 'cursor', fetchPage: 'x', nextCursor: (): undefined => undefined }, 'fetchPage'],
    [{ strategy: 'cursor', fetchPage: async () => ({}) }, 'nextCursor'],
    [{ strategy: 'page', fetchPage: async () => ({}) }, 'hasNextPage'],
    [{ strategy: 'offset', fetchPage: async () => ({}) }, 'strategy'],
  ])('rejects %o', (options, argument) => {
    expect(() => paginate(options as never)).toThrow(expect.objectContaining({ argument }));
  });

  it('items() needs the items option', () => {
    const p = paginate({ strategy: 'cursor', fetchPage: async () => ({}), nextCursor: () => undefined });
    expect(() => p.items()).toThrow(InvalidArgumentError);
  });
});

async function arrayOf<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

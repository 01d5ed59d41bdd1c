/**
 * `paginate()`: one lazy async iterable over the pages of a cursor API (Apple School
 * Manager `nextCursor`, DEP `cursor` + `more_to_follow`) or a page-number API (Mosyle
 * `page`), with a repeated-cursor guard, `maxPages`, abort, and an item-level iterator.
 *
 * @see https://github.com/smithy-lang/smithy-typescript/pull/534 (stopOnSameToken)
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { AbortError } from '../errors/transport-errors.js';
import { sanitizeCause } from '../internal/sanitize.js';
import { PaginationError } from './errors.js';

/** What `fetchPage` receives besides the cursor or page number. */
export interface PageContext {
  /** 0-based index of the page being fetched. */
  pageIndex: number;
  /** The paginator's signal: pass it on to the request. */
  signal: AbortSignal | undefined;
}

interface CommonOptions<TPage, TItem> {
  /**
   * Most pages fetched. With more pages left, the paginator throws `PaginationError`
   * (`reason: 'max-pages'`), or stops when `onMaxPages` is `'stop'`. @defaultValue `10_000`
   */
  maxPages?: number;
  /** What to do when `maxPages` is reached and pages remain. @defaultValue `'throw'` */
  onMaxPages?: 'throw' | 'stop';
  /** The items of a page; needed by {@link Paginator.items} and {@link Paginator.toArray}. */
  items?: (page: TPage) => readonly TItem[] | undefined;
  /** Stops the iteration (and the request under way, when `fetchPage` passes it on). */
  signal?: AbortSignal;
}

/** Options of a cursor API. */
export interface CursorPaginateOptions<TPage, TItem = never, TCursor = string> extends CommonOptions<TPage, TItem> {
  /** Selects the cursor strategy. */
  strategy: 'cursor';
  /** Fetches one page; `cursor` is `initialCursor` (usually `undefined`) for the first. */
  fetchPage: (cursor: TCursor | undefined, context: PageContext) => Promise<TPage>;
  /** The cursor of the next page, or `undefined`/`null`/`''` when this was the last page. */
  nextCursor: (page: TPage) => TCursor | null | undefined;
  /** Cursor of the first request (e.g. a saved DEP sync cursor). */
  initialCursor?: TCursor;
  /**
   * What to do when the service returns a cursor it returned before. DEP does this at the
   * end of a fetch (`more_to_follow: true` with the same cursor), where `'stop'` fits.
   * @defaultValue `'throw'`
   */
  onRepeatedCursor?: 'throw' | 'stop';
  /** Turns a cursor into a comparable string. @defaultValue `String` for strings, `JSON.stringify` otherwise */
  cursorKey?: (cursor: TCursor) => string;
}

/** What `hasNextPage` receives. */
export interface PageNumberContext {
  /** Page number of the page just fetched. */
  pageNumber: number;
  /** 0-based index of the page just fetched. */
  pageIndex: number;
  /** Items seen so far, this page included (needs `items`). */
  itemCount: number;
}

/** Options of a page-number API. */
export interface PageNumberPaginateOptions<TPage, TItem = never> extends CommonOptions<TPage, TItem> {
  /** Selects the page-number strategy. */
  strategy: 'page';
  /** Fetches page `pageNumber`. */
  fetchPage: (pageNumber: number, context: PageContext) => Promise<TPage>;
  /** Number of the first page (Mosyle uses 0 on some endpoints and 1 on others). @defaultValue `1` */
  firstPage?: number;
  /**
   * Whether another page follows (e.g. `itemCount < Number(page.rows)`). Without it, the
   * paginator continues while pages have items (needs `items`).
   */
  hasNextPage?: (page: TPage, context: PageNumberContext) => boolean;
  /**
   * A fingerprint of a page (e.g. the first item's id). Two consecutive pages with the same
   * key mean the service ignored the page number: the paginator throws (or stops, per
   * `onRepeatedPage`) instead of looping.
   */
  pageKey?: (page: TPage) => string | undefined;
  /** What to do when two consecutive pages have the same `pageKey`. @defaultValue `'throw'` */
  onRepeatedPage?: 'throw' | 'stop';
}

/** Options of {@link paginate}. */
export type PaginateOptions<TPage, TItem = never, TCursor = string> =
  | CursorPaginateOptions<TPage, TItem, TCursor>
  | PageNumberPaginateOptions<TPage, TItem>;

/**
 * A lazy sequence of pages: nothing is requested until it is iterated, and each
 * iteration starts again from the first page.
 */
export interface Paginator<TPage, TItem> extends AsyncIterable<TPage> {
  /** The pages (the same as iterating the paginator). */
  pages(): AsyncIterable<TPage>;
  /** Every item of every page, in order (needs the `items` option). */
  items(): AsyncIterable<TItem>;
  /**
   * Collects items into an array. `limit` is required so that a huge list is never loaded
   * by accident; iteration stops as soon as `limit` items are collected.
   */
  toArray(options: { limit: number }): Promise<TItem[]>;
}

/**
 * Iterates the pages of a paginated API.
 *
 * @example
 * ```ts
 * // Apple School Manager: GET /v1/orgDevices?cursor=…
 * const devices = paginate({
 *   strategy: 'cursor',
 *   fetchPage: async (cursor, { signal }) =>
 *     (await transport.get('/v1/orgDevices', { query: { limit: 1000, cursor }, schema: Page }, { signal })).data,
 *   nextCursor: (page) => page.meta?.paging?.nextCursor,
 *   items: (page) => page.data,
 * });
 * for await (const device of devices.items()) console.log(device.id);
 *
 * // Mosyle: POST /listdevices with options.page, 1-based, until `rows` items are seen
 * const mosyle = paginate({
 *   strategy: 'page',
 *   firstPage: 1,
 *   fetchPage: (page, { signal }) => listDevices({ os: 'ios', page }, { signal }),
 *   items: (page) => page.devices,
 *   hasNextPage: (page, { itemCount }) => itemCount < Number(page.rows),
 * });
 * ```
 */
export function paginate<TPage, TItem = never, TCursor = string>(
  options: CursorPaginateOptions<TPage, TItem, TCursor>,
): Paginator<TPage, TItem>;
export function paginate<TPage, TItem = never>(
  options: PageNumberPaginateOptions<TPage, TItem>,
): Paginator<TPage, TItem>;
export function paginate<TPage, TItem, TCursor>(
  options: PaginateOptions<TPage, TItem, TCursor>,
): Paginator<TPage, TItem> {
  const maxPages = options.maxPages ?? 10_000;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new InvalidArgumentError('maxPages', `expected a positive integer, got ${String(options.maxPages)}`);
  }
  if (typeof options.fetchPage !== 'function') {
    throw new InvalidArgumentError('fetchPage', 'expected a function that fetches one page');
  }
  if (options.strategy === 'cursor') {
    if (typeof options.nextCursor !== 'function') {
      throw new InvalidArgumentError('nextCursor', 'expected a function that reads the next cursor from a page');
    }
  } else if (options.strategy === 'page') {
    if (options.hasNextPage === undefined && options.items === undefined) {
      throw new InvalidArgumentError('hasNextPage', 'a page-number paginator needs hasNextPage or items', {
        hint: 'Pass hasNextPage(page, { itemCount }) or items(page) (it then stops at the first empty page).',
      });
    }
  } else {
    throw new InvalidArgumentError(
      'strategy',
      `expected 'cursor' or 'page', got ${String((options as { strategy?: unknown }).strategy)}`,
    );
  }

  const pages = (): AsyncIterable<TPage> => ({
    [Symbol.asyncIterator]: () =>
      (options.strategy === 'cursor' ? cursorPages(options, maxPages) : numberPages(options, maxPages))[
        Symbol.asyncIterator
      ](),
  });

  const items = (): AsyncIterable<TItem> => {
    const extract = options.items;
    if (!extract) {
      throw new InvalidArgumentError('items', 'items() needs the items option', {
        hint: 'Pass items: (page) => page.data to paginate().',
      });
    }
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* extract(page) ?? [];
      },
    };
  };

  return {
    [Symbol.asyncIterator]: () => pages()[Symbol.asyncIterator](),
    pages,
    items,
    async toArray({ limit }) {
      if (!Number.isInteger(limit) || limit < 0) {
        throw new InvalidArgumentError('limit', `expected an integer ≥ 0, got ${String(limit)}`);
      }
      const out: TItem[] = [];
      if (limit === 0) return out;
      for await (const item of items()) {
        out.push(item);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}

async function* cursorPages<TPage, TItem, TCursor>(
  options: CursorPaginateOptions<TPage, TItem, TCursor>,
  maxPages: number,
): AsyncGenerator<TPage> {
  const keyOf = options.cursorKey ?? ((c: TCursor) => (typeof c === 'string' ? c : JSON.stringify(c)));
  const seen = new Set<string>();
  let cursor = options.initialCursor;
  if (cursor !== undefined) seen.add(keyOf(cursor));
  for (let pageIndex = 0; ; pageIndex++) {
    checkAbort(options.signal);
    const page = await options.fetchPage(cursor, { pageIndex, signal: options.signal });
    yield page;
    const next = options.nextCursor(page);
    if (next === undefined || next === null || (next as unknown) === '') return;
    const key = keyOf(next);
    if (seen.has(key)) {
      if (options.onRepeatedCursor === 'stop') return;
      throw new PaginationError(
        'repeated-cursor',
        pageIndex + 1,
        `the service returned cursor "${shorten(key)}" a second time`,
        "The API would loop forever; if it repeats its last cursor by design (DEP), pass onRepeatedCursor: 'stop'.",
      );
    }
    seen.add(key);
    if (pageIndex + 1 >= maxPages) {
      if (options.onMaxPages === 'stop') return;
      throw maxPagesError(pageIndex + 1);
    }
    cursor = next;
  }
}

async function* numberPages<TPage, TItem>(
  options: PageNumberPaginateOptions<TPage, TItem>,
  maxPages: number,
): AsyncGenerator<TPage> {
  const first = options.firstPage ?? 1;
  let itemCount = 0;
  let previousKey: string | undefined;
  for (let pageIndex = 0; ; pageIndex++) {
    checkAbort(options.signal);
    const pageNumber = first + pageIndex;
    const page = await options.fetchPage(pageNumber, { pageIndex, signal: options.signal });
    const pageItems = options.items?.(page) ?? [];
    const key = options.pageKey?.(page);
    if (key !== undefined && key === previousKey) {
      if (options.onRepeatedPage === 'stop') return;
      throw new PaginationError(
        'repeated-page',
        pageIndex,
        `page ${pageNumber} is the same as page ${pageNumber - 1}`,
        "The service ignored the page number; check firstPage (0 or 1), or pass onRepeatedPage: 'stop'.",
      );
    }
    previousKey = key;
    itemCount += pageItems.length;
    // An empty page after the first ends the list whatever hasNextPage says (Mosyle past its
    // last page); the first page is always yielded, so its envelope is seen.
    if (options.items && pageItems.length === 0 && pageIndex > 0) return;
    yield page;
    if (options.items && pageItems.length === 0) return;
    if (options.hasNextPage && !options.hasNextPage(page, { pageNumber, pageIndex, itemCount })) return;
    if (pageIndex + 1 >= maxPages) {
      if (options.onMaxPages === 'stop') return;
      throw maxPagesError(pageIndex + 1);
    }
  }
}

function maxPagesError(pages: number): PaginationError {
  return new PaginationError(
    'max-pages',
    pages,
    `more pages remain after maxPages (${pages})`,
    "Raise maxPages, or pass onMaxPages: 'stop' to read only the first pages on purpose.",
  );
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError({}, { cause: sanitizeCause(signal.reason) });
}

function shorten(text: string): string {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}

/**
 * One listing helper for every Mosyle `list…` endpoint, on core's `paginate()`.
 *
 * The page base is 0 on some endpoints and 1 on others, and the docs contradict themselves
 * (`/listdevices`: "Pagination start with 0", yet its example shows `page: 1`). So every listing asks for page 0 first:
 * - a 0-based endpoint answers page 0, and pages 1, 2… follow;
 * - a 1-based endpoint that treats page 0 as page 1 echoes `page: 1`: the next request asks
 *   for page 2 directly; if it does not echo, page 1 repeats page 0 and the duplicates are
 *   dropped (rows are de-duplicated by key, e.g. the UDID);
 * - a 1-based endpoint that answers page 0 with nothing (or `INVALID_DATA`) is asked for
 *   page 1 at once.
 * The list ends on an empty page, on `DEVICES_NOTFOUND`, when the unique rows reach `rows`,
 * or at `maxPages` (PaginationError). Two pages in a row with no new row while `rows` says
 * more remain mean the server ignores `page`: PaginationError (`repeated-page`), not a silent
 * short list.
 */
import { PaginationError, paginate, type RequestOptions } from '@schoolmdm/core';
import { MosyleError } from '../errors.js';
import type { MosyleContext } from './context.js';
import { type NormalizedPage, readPage } from './envelope.js';
import { ListEnvelope } from './schemas.js';

/** How one endpoint is listed. */
export interface ListSpec<T> {
  /** Endpoint path, e.g. `/listdevices`. */
  path: string;
  /** Name for errors and logs. */
  what: string;
  /** Key of the rows in the page object (`devices`, `users`, `groups`…); the first present wins. */
  key: string | readonly string[];
  /** Body without `page` (e.g. `{ options: { os } }` or `{ filter_options }`). */
  body: (page: number) => Record<string, unknown>;
  /** Turns a raw row into the public shape. */
  map: (row: Record<string, unknown>) => T;
  /** De-duplication key of a row. */
  keyOf: (item: T) => string;
}

/** Lazily lists every row of `spec`, page by page (nothing is sent until iterated). */
export function listAll<T>(ctx: MosyleContext, spec: ListSpec<T>, options: RequestOptions = {}): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const seen = new Set<string>();
      let offset = 0; // page actually requested = paginate's page number + offset
      let barren = 0; // consecutive pages without a new row
      const fetch = async (page: number): Promise<NormalizedPage> =>
        readPage(
          await ctx.call(
            spec.path,
            spec.body(page),
            { idempotent: true, what: spec.what, schema: ListEnvelope },
            options,
          ),
          spec.key,
        );
      const pages = paginate<{ page: NormalizedPage; fresh: T[] }, T>({
        strategy: 'page',
        firstPage: 0,
        maxPages: ctx.settings.maxPages,
        signal: options.signal,
        fetchPage: async (pageNumber) => {
          let requested = pageNumber + offset;
          let page: NormalizedPage;
          try {
            page = await fetch(requested);
          } catch (error) {
            // A strictly 1-based endpoint may refuse page 0.
            if (requested !== 0 || !(error instanceof MosyleError) || error.code !== 'INVALID_DATA') throw error;
            page = { items: [], rows: undefined, page: undefined, status: 'INVALID_DATA' };
          }
          if (requested === 0 && (page.items.length === 0 || page.page === 1)) {
            offset = 1;
            if (page.items.length === 0) {
              requested = 1;
              page = await fetch(1);
            }
          }
          const fresh: T[] = [];
          if (page.status !== 'DEVICES_NOTFOUND') {
            for (const raw of page.items) {
              if (typeof raw !== 'object' || raw === null) continue;
              const item = spec.map(raw as Record<string, unknown>);
              const k = spec.keyOf(item);
              if (seen.has(k)) continue;
              seen.add(k);
              fresh.push(item);
            }
          }
          barren = fresh.length === 0 ? barren + 1 : 0;
          return { page, fresh };
        },
        // The page's raw rows, so an empty page or DEVICES_NOTFOUND ends the list.
        items: ({ page }) => (page.status === 'DEVICES_NOTFOUND' ? [] : (page.items as T[])),
        hasNextPage: ({ page }, { pageIndex }) => {
          if (page.rows !== undefined && seen.size >= page.rows) return false;
          if (barren >= 2) {
            if (page.rows === undefined) return false;
            throw new PaginationError(
              'repeated-page',
              pageIndex + 1,
              `${spec.what}: two pages in a row brought no new row, with ${seen.size} of ${page.rows} rows read`,
              'Mosyle seems to ignore the page number; report it, and read with a filter (serial numbers, tags) meanwhile.',
            );
          }
          return true;
        },
      });
      for await (const { fresh } of pages) yield* fresh;
    },
  };
}

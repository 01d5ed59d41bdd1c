/**
 * Lists of the Apps and Books API: zero-based `pageIndex`, `nextPageIndex` absent on the last
 * page, `totalPages` and `versionId` on each page (Apple, "Using paginated endpoints"). Built on
 * core's `paginate()` (ordering, `maxPages`, abort) with a {@link PageWindow} as `fetchPage`, so
 * up to 5 pages are fetched in parallel and still yielded in order. Not part of the public API.
 */
import { InvalidArgumentError, PaginationError, paginate, type Query, type RequestOptions } from '@schoolmdm/core';
import type { z } from 'zod';
import { ListChangedError } from '../errors.js';
import type { AppsAndBooksList, AppsAndBooksPage } from '../types.js';
import { PageWindow } from './page-window.js';
import type { Session } from './session.js';

interface RawPage {
  currentPageIndex?: number;
  nextPageIndex?: number;
  totalPages?: number;
  versionId?: string;
  uId?: string;
  tokenExpirationDate?: string;
}

/** How to read one list endpoint. */
export interface ListSpec<TRaw extends RawPage, T> {
  /** Endpoint path, e.g. `assignments`. */
  path: string;
  /** Filters. */
  query: Query;
  /** Schema of a page. */
  schema: z.ZodType<TRaw>;
  /** The records of a page. */
  items: (page: TRaw) => T[] | undefined;
  /** Resource name for errors, e.g. `"assignments"`. */
  resource: string;
  /**
   * Stop with {@link ListChangedError} when `versionId` changes during the walk (records may
   * have moved between pages). Assignments need it; asset records do not move when counts change.
   */
  stopOnVersionChange: boolean;
}

/** A lazy list over every page of `spec`, fetched up to `session.pageConcurrency` at a time. */
export function createList<TRaw extends RawPage, T>(
  session: Session,
  spec: ListSpec<TRaw, T>,
  options: RequestOptions = {},
): AppsAndBooksList<T> {
  let lastVersionId: string | undefined;

  const fetchPage = async (pageIndex: number, signal: AbortSignal): Promise<AppsAndBooksPage<T>> => {
    const raw = await session.call(
      {
        method: 'GET',
        path: spec.path,
        query: { ...spec.query, pageIndex },
        schema: spec.schema,
        what: `${spec.resource} page ${pageIndex}`,
      },
      { ...options, signal },
    );
    if (raw.currentPageIndex !== undefined && raw.currentPageIndex !== pageIndex) {
      throw new PaginationError(
        'repeated-page',
        pageIndex,
        `asked for ${spec.resource} page ${pageIndex}, got page ${raw.currentPageIndex}`,
        'The service ignored pageIndex; report it with the request id.',
      );
    }
    if (raw.nextPageIndex !== undefined && raw.nextPageIndex !== null && raw.nextPageIndex !== pageIndex + 1) {
      throw new PaginationError(
        'repeated-page',
        pageIndex,
        `${spec.resource} page ${pageIndex} points to page ${raw.nextPageIndex} next`,
        'The service did not page one by one; report it with the request id.',
      );
    }
    return {
      items: spec.items(raw) ?? [],
      pageIndex,
      nextPageIndex: raw.nextPageIndex ?? undefined,
      totalPages: raw.totalPages,
      versionId: raw.versionId,
      uId: raw.uId,
      tokenExpirationDate: raw.tokenExpirationDate,
    };
  };

  const pages = (): AsyncIterable<AppsAndBooksPage<T>> => ({
    async *[Symbol.asyncIterator]() {
      const window = new PageWindow<AppsAndBooksPage<T>>({
        fetch: fetchPage,
        totalPages: (page) => page.totalPages,
        concurrency: session.pageConcurrency,
        signal: options.signal,
      });
      let firstVersionId: string | undefined;
      try {
        // No `items` here on purpose: an empty page is not the end of the list ("an empty
        // result is not an end signal"); only a missing nextPageIndex is.
        const walk = paginate({
          strategy: 'page',
          firstPage: 0,
          signal: options.signal,
          fetchPage: (pageIndex) => window.get(pageIndex),
          hasNextPage: (page: AppsAndBooksPage<T>) => page.nextPageIndex !== undefined,
        });
        for await (const page of walk) {
          if (page.pageIndex === 0) firstVersionId = page.versionId;
          else if (
            spec.stopOnVersionChange &&
            firstVersionId !== undefined &&
            page.versionId !== undefined &&
            page.versionId !== firstVersionId
          ) {
            throw new ListChangedError(spec.resource, page.pageIndex, firstVersionId, page.versionId);
          }
          if (page.versionId !== undefined) lastVersionId = page.versionId;
          yield page;
        }
      } finally {
        window.close();
      }
    },
  });

  return {
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
    pages,
    async toArray({ limit }: { limit: number }) {
      if (!Number.isInteger(limit) || limit < 0) {
        throw new InvalidArgumentError('limit', `expected an integer ≥ 0, got ${String(limit)}`);
      }
      const out: T[] = [];
      if (limit === 0) return out;
      for await (const page of pages()) {
        for (const item of page.items) {
          out.push(item);
          if (out.length >= limit) return out;
        }
      }
      return out;
    },
    get versionId() {
      return lastVersionId;
    },
  };
}

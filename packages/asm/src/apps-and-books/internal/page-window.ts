/**
 * A prefetch window over page indices, for `paginate()`'s `fetchPage`: Apple allows up to 5 page
 * requests at once (https://developer.apple.com/documentation/devicemanagement/using-paginated-endpoints), and `totalPages` is known after
 * the first page. `get(i)` returns page `i` and keeps pages `i+1 … i+concurrency` under way, so
 * pages arrive in parallel while `paginate()` still yields them in order, and at most
 * `concurrency` pages are held at any time (memory stays O(window), not O(list)).
 *
 * Not part of the public API. Core's `paginate()` is sequential; a `prefetch` option there would
 * make this file unnecessary (noted in the issue report).
 */

/** What the window needs. */
export interface PageWindowOptions<TPage> {
  /** Fetches one page; `signal` aborts it when the walk ends early. */
  fetch: (pageIndex: number, signal: AbortSignal) => Promise<TPage>;
  /** The page count a page announces (`totalPages`), when it does. */
  totalPages: (page: TPage) => number | undefined;
  /** Most pages requested or held ahead at once (Apple: at most 5 in parallel). */
  concurrency: number;
  /** The caller's signal: aborts every page under way. */
  signal?: AbortSignal;
}

/** An ordered prefetch window; `close()` it when the walk ends (also on `break`). */
export class PageWindow<TPage> {
  readonly #options: PageWindowOptions<TPage>;
  readonly #pending = new Map<number, Promise<TPage>>();
  readonly #controller = new AbortController();
  readonly #onAbort: () => void;
  #totalPages: number | undefined;
  #highest = -1;
  /** Most pages that were under way (or buffered) at once; observed by tests and the benchmark. */
  maxInFlight = 0;

  constructor(options: PageWindowOptions<TPage>) {
    this.#options = options;
    this.#onAbort = () => this.#controller.abort(options.signal?.reason);
    if (options.signal?.aborted) this.#onAbort();
    else options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Page `pageIndex`, fetched now or taken from the window; then refills the window. */
  async get(pageIndex: number): Promise<TPage> {
    const pending = this.#pending.get(pageIndex) ?? this.#start(pageIndex);
    this.#pending.delete(pageIndex);
    const page = await pending;
    const total = this.#options.totalPages(page);
    if (total !== undefined && Number.isFinite(total)) this.#totalPages = total;
    this.#fill(pageIndex + 1);
    return page;
  }

  /** Stops every page under way; their failures are dropped (nobody will read them). */
  close(): void {
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#pending.size > 0) this.#controller.abort();
    this.#pending.clear();
  }

  #fill(from: number): void {
    const total = this.#totalPages;
    if (total === undefined) return;
    const last = Math.min(total - 1, from + this.#options.concurrency - 1);
    for (let i = Math.max(from, this.#highest + 1); i <= last; i++) {
      if (this.#pending.size >= this.#options.concurrency) break;
      const p = this.#start(i);
      // Read later (or never, after a break): keep the rejection from being "unhandled".
      p.catch(() => undefined);
      this.#pending.set(i, p);
    }
  }

  #start(pageIndex: number): Promise<TPage> {
    this.#highest = Math.max(this.#highest, pageIndex);
    const p = this.#options.fetch(pageIndex, this.#controller.signal);
    this.maxInFlight = Math.max(this.maxInFlight, this.#pending.size + 1);
    return p;
  }
}

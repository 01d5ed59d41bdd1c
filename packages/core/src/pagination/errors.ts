/** The error a paginator throws instead of looping forever or stopping silently. */

import { SchoolMdmError, setErrorName } from '../errors/base.js';
import { redact } from '../redact/redact.js';

/** Why pagination stopped with an error. */
export type PaginationErrorReason =
  /** The service returned a cursor it had already returned (it would loop forever). */
  | 'repeated-cursor'
  /** Two consecutive pages had the same `pageKey` (e.g. page 0 and page 1 are the same page). */
  | 'repeated-page'
  /** More pages remained after `maxPages` pages. */
  | 'max-pages';

/**
 * Pagination cannot continue safely. Thrown rather than looping on a cursor the service
 * repeats (https://github.com/aws/aws-sdk-js-v3/issues/3490, micromdm/nanodep#73) or
 * returning a silently truncated list.
 */
export class PaginationError extends SchoolMdmError {
  static {
    setErrorName(this, 'PaginationError');
  }
  /** Why pagination stopped. */
  readonly reason: PaginationErrorReason;
  /** 0-based index of the page at which it stopped. */
  readonly pageIndex: number;

  constructor(reason: PaginationErrorReason, pageIndex: number, detail: string, hint: string) {
    super(`Pagination stopped after ${pageIndex} page(s): ${redact(detail)}`, { hint });
    this.reason = reason;
    this.pageIndex = pageIndex;
  }
}

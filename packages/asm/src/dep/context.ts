/** What the DEP resources share. Not part of the public API. */
import type { RequestOptions, Sleep, TransportRequest, TransportResponse } from '@schoolmdm/core';

/** The shared plumbing handed to each DEP resource of one client. */
export interface DepContext {
  /** A call with the session header, one re-auth on 401 / 403 FORBIDDEN, typed DEP errors. */
  call<T>(request: TransportRequest<T>, options?: RequestOptions): Promise<TransportResponse<T>>;
  sleep: Sleep;
  now: () => number;
}

/** DEP's JSON content type (nanodep `godep/client.go`). */
export const DEP_JSON = { 'content-type': 'application/json;charset=UTF8' } as const;

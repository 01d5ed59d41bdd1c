/** What the resources of an {@link AsmClient} share. Not part of the public API. */
import type { RequestOptions, Sleep, Transport, TransportRequest, TransportResponse } from '@schoolmdm/core';

/** The shared plumbing handed to each resource of one client. */
export interface AsmContext {
  /** An authenticated API call: Bearer token, one forced refresh and replay on 401. */
  call<T>(request: TransportRequest<T>, options?: RequestOptions): Promise<TransportResponse<T>>;
  /** The transport itself, for requests that must not carry the Bearer token (presigned logs). */
  transport: Transport;
  now: () => number;
  sleep: Sleep;
}

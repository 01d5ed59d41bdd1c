/**
 * `@schoolmdm/core`: the shared HTTP transport, typed errors, pagination, batching and
 * serial-number CSV helpers of the schoolmdm SDK.
 *
 * @packageDocumentation
 */

export { chunk } from './batch/chunk.js';
export {
  type BatchFailure,
  type BatchOptions,
  type BatchProgress,
  type BatchResult,
  type BatchSuccess,
  type BatchWorkerContext,
  runBatch,
} from './batch/run-batch.js';
export {
  DISTINGUISHED_NAME_SHORT_NAMES,
  type DistinguishedNameAttribute,
  escapeDistinguishedNameValue,
  formatDistinguishedName,
} from './encoding/distinguished-name.js';
export { type Base64Result, decodeBase64, type PemSection, parsePem, toPem } from './encoding/pem.js';
export {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RateLimitErrorInit,
  type RateLimitSource,
  UnprocessableEntityError,
} from './errors/api-error.js';
export { isSchoolMdmError, SchoolMdmError, type SchoolMdmErrorOptions, setErrorName } from './errors/base.js';
export { InvalidArgumentError } from './errors/invalid-argument.js';
export {
  AbortError,
  ConnectionError,
  type ConnectionErrorDetail,
  RedirectError,
  type RedirectErrorReason,
  type RequestTarget,
  ResponseTooLargeError,
  TimeoutError,
  type TimeoutKind,
} from './errors/transport-errors.js';
export {
  ResponseValidationError,
  type ValidationContext,
  type ValidationIssue,
} from './errors/validation-error.js';
export {
  defaultErrorBodyParser,
  type ErrorBodyContext,
  type ErrorBodyParser,
  type ServiceErrorInfo,
} from './http/error-body.js';
export type { HeadersLike, HeaderValue } from './http/headers.js';
export { parseHttpDate, parseRetryAfter, retryAfterFromHeaders } from './http/retry-after.js';
export { backoffDelay, isRetryableStatus } from './http/retry-policy.js';
export { MAX_ERROR_BODY_BYTES, Transport } from './http/transport.js';
export type {
  FetchInit,
  FetchLike,
  RequestOptions,
  RequestParams,
  ResponseType,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './http/types.js';
export type { Query, QueryValue } from './http/url.js';
export { defaultSleep, type Sleep } from './internal/sleep.js';
export { createLogger, type LogFields, type Logger, type LogLevel, silentLogger } from './logging/logger.js';
export { PaginationError, type PaginationErrorReason } from './pagination/errors.js';
export {
  type CursorPaginateOptions,
  type PageContext,
  type PageNumberContext,
  type PageNumberPaginateOptions,
  type PaginateOptions,
  type Paginator,
  paginate,
} from './pagination/paginate.js';
export { MAX_HOLD_MS } from './rate-limit/limiter.js';
export type {
  HttpMethod,
  RateLimitOptions,
  RateLimitRequestInfo,
  RateLimitRule,
  RequestMatcher,
} from './rate-limit/types.js';
export { isSecretName } from './redact/patterns.js';
export { REDACTED, redact, redactExcerpt } from './redact/redact.js';
export { isSecretValue, revealSecret, SecretValue } from './redact/secret-value.js';
export * from './serials/index.js';
export {
  formatPath,
  parseResponse,
  toValidationError,
  type ValidationMode,
} from './validation/parse-response.js';
export { isKnownValue, looseObject, type OpenEnum, openEnum } from './validation/schemas.js';
export { VERSION } from './version.js';

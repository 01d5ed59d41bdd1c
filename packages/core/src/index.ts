/**
 * `@schoolmdm/core`: the shared HTTP transport, typed errors, pagination, batching and
 * serial-number CSV helpers of the schoolmdm SDK.
 *
 * @packageDocumentation
 */

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
export { isSchoolMdmError, SchoolMdmError, type SchoolMdmErrorOptions } from './errors/base.js';
export { InvalidArgumentError } from './errors/invalid-argument.js';
export { AbortError, ConnectionError, type RequestTarget, TimeoutError } from './errors/transport-errors.js';
export {
  ResponseValidationError,
  type ValidationContext,
  type ValidationIssue,
} from './errors/validation-error.js';
export type { Sleep } from './internal/sleep.js';
export { createLogger, type LogFields, type Logger, type LogLevel, silentLogger } from './logging/logger.js';
export type {
  HttpMethod,
  RateLimitOptions,
  RateLimitRequestInfo,
  RateLimitRule,
  RequestMatcher,
} from './rate-limit/types.js';
export { isSecretName } from './redact/patterns.js';
export { REDACTED, redact, redactExcerpt } from './redact/redact.js';

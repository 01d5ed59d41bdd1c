/**
 * The Apps and Books (VPP) API v2 client: `AppsAndBooksClient`, its errors, schemas and types.
 * Re-exported by `@schoolmdm/asm`.
 */
export { APPS_AND_BOOKS_ERRORS, type AppsAndBooksErrorInfo } from './catalogue.js';
export { AppsAndBooksClient } from './client.js';
export {
  AppsAndBooksError,
  type AppsAndBooksErrorInit,
  AppsAndBooksRateLimitError,
  EventTimeoutError,
  InvalidTokenError,
  ListChangedError,
  NotEnoughLicensesError,
  PageOutOfRangeError,
  type TokenErrorSource,
  TokenExpiredError,
  TokenRevokedError,
} from './errors.js';
export {
  DEFAULT_LIMITS as APPS_AND_BOOKS_DEFAULT_LIMITS,
  type EffectiveLimits as AppsAndBooksLimits,
} from './internal/session.js';
export type { AssetsResource } from './resources/assets.js';
export type { AssignmentsResource } from './resources/assignments.js';
export type { EventsResource } from './resources/events.js';
export type {
  Asset,
  Assignment,
  EventFailure,
  PricingParam,
  ProductType,
  ServiceConfig,
  ServiceLimits,
} from './schemas.js';
export type { ContentTokenLike } from './token.js';
export type {
  AppsAndBooksClientOptions,
  AppsAndBooksList,
  AppsAndBooksPage,
  AssetRef,
  EventStatus,
  EventWaitOptions,
  LicensePlan,
  LicensePlanEntry,
  ListAssetsParams,
  ListAssignmentsParams,
  ManageAssetsParams,
  PlanLicensesParams,
} from './types.js';

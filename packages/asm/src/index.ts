/**
 * `@schoolmdm/asm`: clients for Apple School Manager's APIs, on the `@schoolmdm/core` transport.
 *
 * @packageDocumentation
 */

export * from './apps-and-books/index.js';
export { type ActivityLogEntry, parseActivityLog } from './asm-api/activity-log.js';
export { ASM_ASSERTION_AUDIENCE, MAX_ASSERTION_LIFETIME_MS } from './asm-api/auth/assertion.js';
export {
  APPLE_BUSINESS_API_BASE_URL,
  ASM_TOKEN_URL,
  AsmClient,
  type AsmClientOptions,
  type AsmRateLimits,
  type RequestBudget,
} from './asm-api/client.js';
export { ActivityLogError, type ActivityLogProblem, ActivityTimeoutError } from './asm-api/errors.js';
export type {
  MigrationCategory,
  MigrationPlan,
  MigrationPlanEntry,
  NeedsEraseReason,
  PlanMigrationParams,
} from './asm-api/plan-migration.js';
export {
  ActivitiesResource,
  type ActivityBatchResult,
  type ActivityType,
  type AssignDevicesParams,
  checkMigrationDeadline,
  type FailedActivityBatch,
  MAX_MIGRATION_DEADLINE_MS,
  type MigrationDeadlineParams,
  type WaitOptions,
} from './asm-api/resources/activities.js';
export { MdmServersResource } from './asm-api/resources/mdm-servers.js';
export { type ListOrgDevicesParams, OrgDevicesResource } from './asm-api/resources/org-devices.js';
export {
  type ActivityStatus,
  type AppleCareCoverage,
  MDM_SERVER_FIELDS,
  type MdmServer,
  MIGRATION_FIELDS,
  ORG_DEVICE_FIELDS,
  type OrgDevice,
  type OrgDeviceActivity,
  type OrgDeviceField,
} from './asm-api/schemas.js';
export type { AssignmentVerification, VerificationState, VerifyAssignmentParams } from './asm-api/verify.js';
export {
  APPS_AND_BOOKS_BASE_URL,
  ASM_API_BASE_URL,
  ASM_REQUEST_BUDGETS,
  DEVICE_ASSIGNMENT_BASE_URL,
} from './constants.js';
export { DepClient, type DepClientOptions } from './dep/client.js';
export {
  DepAccessDeniedError,
  DepCursorError,
  type DepCursorProblem,
  DepMalformedRequestError,
  DepTermsNotSignedError,
  DepTokenExpiredError,
} from './dep/errors.js';
export { type OAuth1SignInput, oauth1Header, oauth1Parameters, percentEncode } from './dep/oauth1.js';
export { DepDevicesResource, type DeviceListOptions, type DeviceStatusResult } from './dep/resources/devices.js';
export {
  type AssignWithRetryOptions,
  DepProfilesResource,
  type ProfileAssignmentResult,
} from './dep/resources/profiles.js';
export type { DepAccount, DepDevice, DepDeviceStatus, DepProfile } from './dep/schemas.js';
export type { ServerTokenLike } from './dep/token.js';
export type { AsyncList } from './internal/list.js';
export type { RejectedSerial } from './internal/serials.js';

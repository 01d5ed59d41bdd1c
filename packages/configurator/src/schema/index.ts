/**
 * Apple's profile schema at runtime, and validation against it.
 *
 * @module
 */
export type {
  ValidationCode,
  ValidationIssue,
  ValidationOptions,
  ValidationResult,
  ValidationSeverity,
} from './issues.js';
export {
  COMMON_PAYLOAD_KEYS_SCHEMA,
  getPayloadSchema,
  PAYLOAD_SCHEMAS,
  SCHEMA_SOURCE,
  TOP_LEVEL_SCHEMA,
} from './registry.js';
export { MDM_TOPIC_PREFIX } from './rules/mdm.js';
export { CERTIFICATE_PAYLOAD_TYPES, IDENTITY_PAYLOAD_TYPES } from './rules/references.js';
export {
  type CertificateReference,
  type CertificateReferenceKind,
  type DictionarySchema,
  type EnrollmentMode,
  type KeySchema,
  OS_NAMES,
  type OsName,
  type OsSupport,
  type PayloadReferenceTarget,
  type PayloadSchema,
  type SchemaRef,
  type SchemaSource,
  type SchemaValueType,
  type SupportedOs,
} from './types.js';
export { validatePayload, validateProfile } from './validate.js';

/**
 * MDM enrollment profiles: inspect what an enrollment URL serves before using it.
 *
 * @module
 */
export {
  type EnrollmentIdentity,
  type EnrollmentIdentityKind,
  type EnrollmentProfileInfo,
  type InspectEnrollmentProfileOptions,
  inspectEnrollmentProfile,
} from './inspect.js';

/**
 * Building configuration profiles: {@link createProfile}, {@link Profile}, stable UUIDs.
 *
 * @module
 */
export { createProfile } from './create-profile.js';
export { Profile, type ProfileSummary } from './profile.js';
export type {
  CreateProfileOptions,
  PayloadDefinition,
  PayloadInput,
  PayloadMetadata,
  ProfilePayloadSummary,
  TargetDeviceType,
} from './types.js';
export {
  PROFILE_UUID_NAMESPACE,
  payloadUuid,
  profileUuid,
  UUID_NAMESPACE_DNS,
  UUID_NAMESPACE_URL,
  uuidV5,
} from './uuid.js';

/**
 * `@schoolmdm/configurator`: plist, configuration profiles from Apple's schema, signing,
 * enrollment-profile inspection and a `cfgutil` wrapper.
 *
 * @packageDocumentation
 */
export {
  type EnrollmentIdentity,
  type EnrollmentIdentityKind,
  type EnrollmentProfileInfo,
  type InspectEnrollmentProfileOptions,
  inspectEnrollmentProfile,
} from './enrollment/index.js';
export {
  CfgutilError,
  type CfgutilErrorDetails,
  ConfiguratorError,
  EnrollmentProfileError,
  PlistError,
  type PlistErrorLocation,
  SignatureError,
} from './errors.js';
export {
  ACCESS_RIGHTS,
  type AccessRight,
  type AccessRightsInput,
  type AccessRightsProblem,
  ALL_ACCESS_RIGHTS,
  checkAccessRights,
  decodeAccessRights,
  encodeAccessRights,
} from './mdm/access-rights.js';
export {
  integer,
  PLIST_XML_HEADER,
  type PlistDict,
  PlistInteger,
  PlistReal,
  type PlistValue,
  type ReadPlistOptions,
  readPlist,
  real,
  type WritePlistOptions,
  writePlist,
} from './plist/index.js';
export {
  type ProfileSigner,
  type SignCmsOptions,
  signCms,
  type VerifiedProfile,
  verifySignedProfile,
} from './signing/index.js';

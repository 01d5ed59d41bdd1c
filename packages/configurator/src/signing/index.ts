/**
 * Signing and verifying configuration profiles: attached CMS SignedData, DER.
 *
 * @module
 */
export { type CmsSigner, createCmsSigner, type SignCmsOptions, signCms } from './sign.js';
export { type ProfileSigner, type VerifiedProfile, verifySignedProfile } from './verify.js';

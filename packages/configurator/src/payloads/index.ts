/**
 * Payload builders with friendly option names, each validated against Apple's schema.
 *
 * @module
 */
export type { PayloadOptions } from './common.js';
export { type HomeScreenIcon, type HomeScreenLayoutOptions, homeScreenLayout } from './home-screen-layout.js';
export { type LockScreenMessageOptions, lockScreenMessage } from './lock-screen-message.js';
export { payload } from './payload.js';
export { type Pkcs12IdentityOptions, pkcs12Identity } from './pkcs12-identity.js';
export { type FriendlyRestrictions, type RestrictionsOptions, restrictions } from './restrictions.js';
export { type RootCertificateOptions, rootCertificate } from './root-certificate.js';
export { type ScepOptions, type ScepRdn, scep } from './scep.js';
export { type WebClipOptions, webClip } from './web-clip.js';
export {
  EAP_TYPES,
  type EapType,
  type WifiEapOptions,
  type WifiOptions,
  type WifiProxyOptions,
  type WifiSecurity,
  wifi,
} from './wifi.js';

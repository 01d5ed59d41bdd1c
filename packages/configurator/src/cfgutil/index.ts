/**
 * Apple Configurator automation: a typed `cfgutil --format JSON` wrapper (macOS only).
 *
 * @module
 */
export {
  Cfgutil,
  type CfgutilDevice,
  type CfgutilOptions,
  type CfgutilResult,
  type IdentityOption,
  type InstallProfileResult,
  type PrepareOptions,
  type SupervisionIdentity,
} from './cfgutil.js';

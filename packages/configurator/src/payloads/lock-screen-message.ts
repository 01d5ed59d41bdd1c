/**
 * `lockScreenMessage()`: a `com.apple.shareddeviceconfiguration` payload ("Lock Screen
 * Message"): a footnote and an "if lost, return to" text on the lock screen, e.g. the asset tag
 * and the school office's phone number. Supervised devices only (Apple's schema).
 *
 * @module
 */
import { PayloadOptionError } from '../errors.js';
import type { PayloadDefinition } from '../profile/types.js';
import { finish, metadataFrom, optionsObject, PAYLOAD_OPTIONS, type PayloadOptions, stringOption } from './common.js';

const BUILDER = 'lockScreenMessage';

/** Options of {@link lockScreenMessage}. At least one message is needed. */
export interface LockScreenMessageOptions extends PayloadOptions {
  /** `LockScreenFootnote`: shown at the bottom of the lock screen and the login window. */
  footnote?: string;
  /**
   * `IfLostReturnToMessage`: shown on the lock screen, e.g. `Property of Example School, +49 …`.
   *
   * @deprecated Apple deprecated the key in iOS 9.3.1: "Use 'LockScreenFootnote' instead"
   * (`com.apple.shareddeviceconfiguration.yaml`); use {@link LockScreenMessageOptions.footnote}.
   * Still written when given, for older devices; validation then warns `os-deprecated`.
   */
  ifLostReturnTo?: string;
  /** `AssetTagInformation`: the device's asset tag. */
  assetTag?: string;
}

/**
 * A lock-screen message payload (`com.apple.shareddeviceconfiguration`).
 *
 * @throws {PayloadOptionError} when no message is given.
 * @example
 * lockScreenMessage({ footnote: 'Gymnasium Beispiel, Sekretariat 030 123456', assetTag: 'INV-2031' });
 */
export function lockScreenMessage(
  options: LockScreenMessageOptions,
): PayloadDefinition<'com.apple.shareddeviceconfiguration'> {
  const o = optionsObject(BUILDER, options, [...PAYLOAD_OPTIONS, ...['footnote', 'ifLostReturnTo', 'assetTag']]);
  if (o.footnote === undefined && o.ifLostReturnTo === undefined && o.assetTag === undefined) {
    throw new PayloadOptionError(BUILDER, 'footnote', 'or ifLostReturnTo or assetTag is required', {
      hint: 'a lock-screen message payload without a message does nothing',
    });
  }
  const text = (option: 'footnote' | 'ifLostReturnTo' | 'assetTag') =>
    o[option] === undefined ? undefined : stringOption(BUILDER, option, o[option]);
  return finish(
    BUILDER,
    'com.apple.shareddeviceconfiguration',
    {
      LockScreenFootnote: text('footnote'),
      IfLostReturnToMessage: text('ifLostReturnTo'),
      AssetTagInformation: text('assetTag'),
    },
    metadataFrom(BUILDER, o),
  );
}

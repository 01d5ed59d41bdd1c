/**
 * `webClip()`: a `com.apple.webClip.managed` payload, a Home Screen icon that opens a web page
 * (the school's portal, the timetable…).
 *
 * @module
 */
import type { PayloadDefinition } from '../profile/types.js';
import {
  booleanOption,
  bytesOption,
  finish,
  metadataFrom,
  optionsObject,
  PAYLOAD_OPTIONS,
  type PayloadOptions,
  stringOption,
  urlOption,
} from './common.js';

const BUILDER = 'webClip';

/** Options of {@link webClip}. */
export interface WebClipOptions extends PayloadOptions {
  /** `URL` the icon opens (http or https). */
  url: string;
  /** `Label` under the icon. */
  label: string;
  /** `Icon`: PNG bytes (Apple recommends a square image, e.g. 180 × 180). */
  icon?: Uint8Array;
  /** `IsRemovable`: the user may delete the icon. @default true */
  removable?: boolean;
  /** `FullScreen`: open as a full-screen web app without Safari's UI. @default false */
  fullScreen?: boolean;
  /** `Precomposed`: show the icon without the system's visual effects. @default false */
  precomposed?: boolean;
  /** `IgnoreManifestScope`: keep full-screen clips full-screen outside the web app's manifest scope. */
  ignoreManifestScope?: boolean;
  /** `TargetApplicationBundleIdentifier`: the browser app that opens the URL. */
  targetApplicationBundleIdentifier?: string;
}

/**
 * A web clip payload (`com.apple.webClip.managed`).
 *
 * @throws {PayloadOptionError} for a missing label or a URL that is not http(s).
 * @example
 * webClip({ url: 'https://portal.example-school.de', label: 'Schulportal', icon: await readFile('portal.png'), removable: false });
 */
export function webClip(options: WebClipOptions): PayloadDefinition<'com.apple.webClip.managed'> {
  const o = optionsObject(BUILDER, options, [
    ...PAYLOAD_OPTIONS,
    ...[
      'url',
      'label',
      'icon',
      'removable',
      'fullScreen',
      'precomposed',
      'ignoreManifestScope',
      'targetApplicationBundleIdentifier',
    ],
  ]);
  return finish(
    BUILDER,
    'com.apple.webClip.managed',
    {
      URL: urlOption(BUILDER, 'url', o.url, ['https:', 'http:']),
      Label: stringOption(BUILDER, 'label', o.label),
      Icon: o.icon === undefined ? undefined : new Uint8Array(bytesOption(BUILDER, 'icon', o.icon)),
      IsRemovable: booleanOption(BUILDER, 'removable', o.removable),
      FullScreen: booleanOption(BUILDER, 'fullScreen', o.fullScreen),
      Precomposed: booleanOption(BUILDER, 'precomposed', o.precomposed),
      IgnoreManifestScope: booleanOption(BUILDER, 'ignoreManifestScope', o.ignoreManifestScope),
      TargetApplicationBundleIdentifier:
        o.targetApplicationBundleIdentifier === undefined
          ? undefined
          : stringOption(BUILDER, 'targetApplicationBundleIdentifier', o.targetApplicationBundleIdentifier),
    },
    metadataFrom(BUILDER, o),
  );
}

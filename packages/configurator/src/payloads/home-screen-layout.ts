/**
 * `homeScreenLayout()`: a `com.apple.homescreenlayout` payload, the apps, folders and web clips
 * of the Dock and the Home Screen pages. Supervised devices only; one per device.
 *
 * @module
 */
import { PayloadOptionError } from '../errors.js';
import type { HomescreenlayoutIconItem } from '../generated/payload-types.js';
import type { PayloadDefinition } from '../profile/types.js';
import { isPlainDict } from '../schema/check.js';
import { finish, metadataFrom, optionsObject, PAYLOAD_OPTIONS, type PayloadOptions } from './common.js';

const BUILDER = 'homeScreenLayout';

/**
 * One Home Screen icon:
 * - a string: an app's bundle identifier (`'com.apple.mobilesafari'`);
 * - `{ app }`: the same;
 * - `{ folder, pages }`: a folder with its own pages of icons;
 * - `{ webClip }`: the URL of a web clip (installed separately with {@link webClip});
 * - or Apple's own icon dictionary (`{ Type: 'App', BundleID }`…).
 */
export type HomeScreenIcon =
  | string
  | { readonly app: string }
  | { readonly folder: string; readonly pages: readonly (readonly HomeScreenIcon[])[] }
  | { readonly webClip: string }
  | HomescreenlayoutIconItem;

/** Options of {@link homeScreenLayout}. */
export interface HomeScreenLayoutOptions extends PayloadOptions {
  /** `Dock`: the icons of the Dock. */
  dock?: readonly HomeScreenIcon[];
  /** `Pages`: the Home Screen pages, each a list of icons. */
  pages: readonly (readonly HomeScreenIcon[])[];
}

/**
 * A Home Screen layout payload (`com.apple.homescreenlayout`).
 *
 * @throws {PayloadOptionError} for an icon that is none of the accepted shapes.
 * @example
 * homeScreenLayout({
 *   dock: ['com.apple.mobilesafari', 'com.apple.camera'],
 *   pages: [['com.apple.Keynote', { folder: 'Schule', pages: [['com.apple.Pages', 'com.apple.Numbers']] }, { webClip: 'https://portal.example.org' }]],
 * });
 */
export function homeScreenLayout(options: HomeScreenLayoutOptions): PayloadDefinition<'com.apple.homescreenlayout'> {
  const o = optionsObject(BUILDER, options, [...PAYLOAD_OPTIONS, ...['dock', 'pages']]);
  if (o.dock !== undefined && !Array.isArray(o.dock)) {
    throw new PayloadOptionError(BUILDER, 'dock', 'must be an array of icons');
  }
  return finish(
    BUILDER,
    'com.apple.homescreenlayout',
    {
      Dock: o.dock === undefined ? undefined : o.dock.map((icon, i) => toIcon(icon, `dock[${i}]`)),
      Pages: toPages(o.pages, 'pages'),
    },
    metadataFrom(BUILDER, o),
  );
}

function toPages(pages: unknown, option: string): HomescreenlayoutIconItem[][] {
  if (!Array.isArray(pages)) {
    throw new PayloadOptionError(BUILDER, option, 'must be an array of pages (each an array of icons)', {
      hint: "e.g. [['com.apple.mobilesafari', 'com.apple.camera']]",
    });
  }
  return pages.map((page: unknown, p) => {
    if (!Array.isArray(page)) {
      throw new PayloadOptionError(BUILDER, `${option}[${p}]`, 'must be an array of icons (a page)');
    }
    return page.map((icon: unknown, i) => toIcon(icon, `${option}[${p}][${i}]`));
  });
}

function toIcon(icon: unknown, option: string): HomescreenlayoutIconItem {
  if (typeof icon === 'string' && icon !== '') return { Type: 'App', BundleID: icon };
  if (isPlainDict(icon)) {
    if (typeof icon.app === 'string') return { Type: 'App', BundleID: icon.app };
    if (typeof icon.folder === 'string') {
      return { Type: 'Folder', DisplayName: icon.folder, Pages: toPages(icon.pages, `${option}.pages`) };
    }
    if (typeof icon.webClip === 'string') return { Type: 'WebClip', URL: icon.webClip };
    if (typeof icon.Type === 'string') return icon as unknown as HomescreenlayoutIconItem;
  }
  throw new PayloadOptionError(BUILDER, option, 'is not an icon', {
    hint: "use a bundle ID string, { folder, pages }, { webClip: url } or Apple's { Type, BundleID } dictionary",
  });
}

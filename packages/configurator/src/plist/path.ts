/**
 * Key paths for error messages: `PayloadContent[0].SSID_STR`, `PayloadContent[1]["Key Type"]`.
 * Not part of the public API.
 *
 * Writers and readers keep a stack of segments while they walk a value and only format it
 * when they throw, so the happy path pays nothing for it.
 */

/** One step of a key path: a dictionary key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats segments as a path. Identifier-like keys use dot notation, anything else
 * (spaces, dots, empty keys: Apple's SCEP `Key Type`) uses `["…"]`.
 *
 * @example formatPath(['PayloadContent', 0, 'SSID_STR']) // 'PayloadContent[0].SSID_STR'
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

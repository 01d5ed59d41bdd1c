/**
 * What the reader noticed but accepted (a duplicate key), remembered per document so that
 * `validateProfile` can report it with its path and line. Not part of the public API.
 *
 * Why a side table: `readPlist` returns plain values (a dictionary is a plain object), and a
 * duplicate key leaves no trace in the value once the last occurrence has won, as in Python
 * `plistlib`. The table is a `WeakMap` keyed by the returned root, so it costs nothing once the
 * caller drops the value.
 */

/** Something `readPlist` accepted but a reviewer should see. */
export interface PlistReadWarning {
  /** `duplicate-key`: a `<dict>` names the same key twice; the last value was kept. */
  readonly code: 'duplicate-key';
  /** The repeated key. */
  readonly key: string;
  /** Key path of the value that was kept, e.g. `PayloadContent[0].LimitToUser`. */
  readonly path: string;
  /** 1-based line of the repeated `<key>` (XML). */
  readonly line?: number;
  /** Byte offset of the dictionary (binary plists). */
  readonly offset?: number;
  /** One sentence for people. */
  readonly message: string;
}

const byRoot = new WeakMap<object, readonly PlistReadWarning[]>();

/** Remembers the warnings of a document whose root is `root` (ignored for scalar roots). */
export function rememberReadWarnings(root: unknown, warnings: readonly PlistReadWarning[]): void {
  if (warnings.length > 0 && typeof root === 'object' && root !== null) byRoot.set(root, warnings);
}

/** The warnings `readPlist` recorded for the document whose root is `root`. */
export function readWarningsOf(root: unknown): readonly PlistReadWarning[] {
  return typeof root === 'object' && root !== null ? (byRoot.get(root) ?? []) : [];
}

/** Header merging: defaults, then per-request headers, then per-call options; `null` removes. */

/** Headers as `Headers`, `[name, value]` pairs or a record; a `null` value removes a default. */
export type HeadersLike =
  | Headers
  | readonly (readonly [string, string])[]
  | Readonly<Record<string, string | null | undefined>>;

/** Merges header sets into a lower-cased record; later sets win, `null` deletes. */
export function mergeHeaders(target: Record<string, string>, ...sets: (HeadersLike | undefined)[]): void {
  for (const set of sets) {
    if (!set) continue;
    if (typeof Headers !== 'undefined' && set instanceof Headers) {
      set.forEach((v, k) => {
        target[k] = v;
      });
    } else if (Array.isArray(set)) {
      for (const [k, v] of set as readonly (readonly [string, string])[]) target[k.toLowerCase()] = v;
    } else {
      for (const [k, v] of Object.entries(set as Record<string, string | null | undefined>)) {
        if (v === null) delete target[k.toLowerCase()];
        else if (v !== undefined) target[k.toLowerCase()] = v;
      }
    }
  }
}

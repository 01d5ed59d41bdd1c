/**
 * Turns payload definitions into the plist model that is written: a deep copy in which numbers
 * carry the plist type Apple's schema declares, and payload objects given to certificate keys
 * are replaced by their `PayloadUUID`. Not part of the public API.
 *
 * Why schema-driven numbers: a JS `number` has no integer/real distinction and generic plist
 * writers emit `3600` as `<integer>`, while Apple declares e.g. `DurationUntilRemoval` as
 * `<real>` (`mdm/profiles/TopLevel.yaml`). Each number in a `<real>` key becomes `real(n)`, each in an
 * `<integer>` key `integer(n)`; numbers under `<any>` or unknown keys keep the writer's rule.
 */
import { integer, PlistInteger, PlistReal, type PlistValue, real } from '../plist/index.js';
import type { PathSegment } from '../plist/path.js';
import { isPlainDict } from '../schema/check.js';
import { resolveDictionary, resolveItems } from '../schema/resolve.js';
import type { DictionarySchema, KeySchema, PayloadSchema } from '../schema/types.js';

/** A problem found while converting (the validator reports everything else). */
export interface ModelProblem {
  path: PathSegment[];
  kind: 'unresolved-reference' | 'circular';
}

/** State of one conversion. */
export interface ModelContext {
  /** Payload definition object → the `PayloadUUID` assigned to it. */
  readonly references: ReadonlyMap<object, string>;
  readonly problems: ModelProblem[];
}

/**
 * Converts a dictionary by its schema. Unknown keys are copied as they are (numbers typed by
 * the writer's default rule); `undefined` values are dropped.
 */
export function convertDictionary(
  ctx: ModelContext,
  schema: PayloadSchema,
  value: Record<string, unknown>,
  dict: DictionarySchema | undefined,
  path: PathSegment[],
  ancestors: Set<object>,
  extra?: DictionarySchema,
): Record<string, PlistValue> {
  if (ancestors.has(value)) {
    ctx.problems.push({ path: [...path], kind: 'circular' });
    return {};
  }
  ancestors.add(value);
  const out: Record<string, PlistValue> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = dict?.keys[name] ?? extra?.keys[name] ?? dict?.anyKey;
    path.push(name);
    out[name] = convertValue(ctx, schema, v, key, path, ancestors);
    path.pop();
  }
  ancestors.delete(value);
  return out;
}

/** Converts one value by its key schema (or by the writer's rules when `key` is undefined). */
export function convertValue(
  ctx: ModelContext,
  schema: PayloadSchema,
  value: unknown,
  key: KeySchema | undefined,
  path: PathSegment[],
  ancestors: Set<object>,
): PlistValue {
  if (typeof value === 'number') {
    if (key?.type === 'real' && Number.isFinite(value)) return real(value);
    if (key?.type === 'integer' && Number.isSafeInteger(value)) return integer(value);
    return value;
  }
  if (value instanceof PlistReal || value instanceof PlistInteger) return value;
  if (value instanceof Date) return new Date(value.getTime());
  // A plain Uint8Array copy: callers may reuse their Buffer; the profile must not change with it.
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) {
    if (ancestors.has(value)) {
      ctx.problems.push({ path: [...path], kind: 'circular' });
      return [];
    }
    ancestors.add(value);
    const items = key?.type === 'array' && key.items ? resolveItems(schema, key.items) : undefined;
    const out = value.map((v, i) => {
      path.push(i);
      const c = convertValue(ctx, schema, v, items, path, ancestors);
      path.pop();
      return c;
    });
    ancestors.delete(value);
    return out;
  }
  if (isPlainDict(value)) {
    if (key?.reference) {
      const uuid = ctx.references.get(value);
      if (uuid !== undefined) return uuid;
      ctx.problems.push({ path: [...path], kind: 'unresolved-reference' });
      return '';
    }
    const dict = key?.type === 'dictionary' && key.dictionary ? resolveDictionary(schema, key.dictionary) : undefined;
    return convertDictionary(ctx, schema, value, dict, path, ancestors);
  }
  // Strings, booleans, bigints, and anything invalid (the validator names it) pass through.
  return value as PlistValue;
}

/** A deep copy of a plist model (wrappers, dates and data copied too). */
export function clonePlist(value: PlistValue): PlistValue {
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof PlistReal) return real(value.value);
  if (value instanceof PlistInteger) return integer(value.value);
  if (Array.isArray(value)) return value.map(clonePlist);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, PlistValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clonePlist(v);
    return out;
  }
  return value;
}

/** Resolves the shared-definition references of a generated schema. Not part of the public API. */
import type { DictionarySchema, KeySchema, PayloadSchema, SchemaRef } from './types.js';

/** The element schema of an array key, following a {@link SchemaRef} into `schema.defs.items`. */
export function resolveItems(schema: PayloadSchema, v: KeySchema | SchemaRef): KeySchema | undefined {
  return 'ref' in v ? schema.defs?.items?.[v.ref] : v;
}

/** The keys of a dictionary key, following a {@link SchemaRef} into `schema.defs.dictionaries`. */
export function resolveDictionary(
  schema: PayloadSchema,
  v: DictionarySchema | SchemaRef,
): DictionarySchema | undefined {
  return 'ref' in v ? schema.defs?.dictionaries?.[v.ref] : v;
}

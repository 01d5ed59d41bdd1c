/**
 * Emits `src/generated/payload-schemas.ts`: the runtime description the validator walks
 * (types `PayloadSchema`/`KeySchema` of `src/schema/types.ts`).
 */
import type { DictionarySchema, KeySchema, PayloadSchema, SchemaRef } from '../../src/schema/types.js';
import type { GeneratorHeader } from './header.js';
import { renderHeader } from './header.js';
import type { Model, ModelDict, ModelKey, ModelPayload, ModelRef } from './model.js';

/** Converts one model payload to its runtime schema object. */
export function toPayloadSchema(p: ModelPayload): PayloadSchema {
  const items = Object.fromEntries([...p.itemDefs].map(([name, key]) => [name, toKeySchema(key)]));
  const dictionaries = Object.fromEntries([...p.dictDefs].map(([name, dict]) => [name, toDictionary(dict)]));
  const hasDefs = Object.keys(items).length > 0 || Object.keys(dictionaries).length > 0;
  return {
    payloadType: p.payloadType,
    title: p.title,
    sources: p.sources,
    os: p.os,
    dictionary: toDictionary(p.dictionary),
    ...(hasDefs
      ? {
          defs: {
            ...(Object.keys(items).length ? { items } : {}),
            ...(Object.keys(dictionaries).length ? { dictionaries } : {}),
          },
        }
      : {}),
  };
}

function isRef(v: ModelKey | ModelDict | ModelRef): v is ModelRef {
  return 'ref' in v;
}

function toDictionary(d: ModelDict): DictionarySchema {
  return {
    keys: Object.fromEntries(d.keys.map((k) => [k.name, toKeySchema(k)])),
    ...(d.anyKey ? { anyKey: toKeySchema(d.anyKey) } : {}),
  };
}

function toKeySchema(k: ModelKey): KeySchema {
  const dictionary: DictionarySchema | SchemaRef | undefined = k.dictionary
    ? isRef(k.dictionary)
      ? { ref: k.dictionary.ref }
      : toDictionary(k.dictionary)
    : undefined;
  const items: KeySchema | SchemaRef | undefined = k.items
    ? isRef(k.items)
      ? { ref: k.items.ref }
      : toKeySchema(k.items)
    : undefined;
  return {
    type: k.type,
    ...(k.required ? { required: true } : {}),
    ...(k.title ? { title: k.title } : {}),
    ...(k.rangelist ? { rangelist: k.rangelist } : {}),
    ...(k.range ? { range: k.range } : {}),
    ...(k.format ? { format: k.format } : {}),
    ...(k.valueType ? { valueType: k.valueType } : {}),
    ...(k.default !== undefined ? { default: k.default } : {}),
    ...(k.repetition ? { repetition: k.repetition } : {}),
    ...(k.os ? { os: k.os } : {}),
    ...(k.reference ? { reference: k.reference } : {}),
    ...(dictionary ? { dictionary } : {}),
    ...(items ? { items } : {}),
  };
}

/** Renders the whole `payload-schemas.ts`. */
export function emitSchemas(model: Model, header: GeneratorHeader): string {
  const out: string[] = [renderHeader(header, 'the runtime schema of every payload type')];
  out.push(
    "import { lazyRecord } from '../schema/lazy.js';",
    "import type { PayloadSchema, SchemaSource } from '../schema/types.js';",
    '',
    '/** The upstream commit this file was generated from. */',
    `export const SCHEMA_SOURCE: SchemaSource = ${print(header.source, 0)};`,
    '',
    '/** `TopLevel.yaml`: the outer dictionary of a configuration profile. */',
    `export const TOP_LEVEL_SCHEMA: PayloadSchema = ${print(toPayloadSchema(model.topLevel), 0)};`,
    '',
    '/** `CommonPayloadKeys.yaml`: the keys every payload dictionary has. */',
    `export const COMMON_PAYLOAD_KEYS_SCHEMA: PayloadSchema = ${print(toPayloadSchema(model.common), 0)};`,
    '',
    '/**',
    ' * Every payload type of the schema, keyed by `PayloadType`, sorted. Built on first use: as',
    ' * a function body V8 only pre-parses it until then, so importing the package for its plist',
    ' * functions does not pay for the whole schema (issue #16).',
    ' */',
    'export const PAYLOAD_SCHEMAS: { readonly [payloadType: string]: PayloadSchema } = lazyRecord(buildPayloadSchemas);',
    '',
    'function buildPayloadSchemas(): { [payloadType: string]: PayloadSchema } {',
    '  return {',
  );
  for (const p of model.payloads) out.push(`  ${JSON.stringify(p.payloadType)}: ${print(toPayloadSchema(p), 2)},`);
  out.push('  };', '}', '');
  return out.join('\n');
}

const WIDTH = 120;

/**
 * A deterministic pretty printer: a value goes on one line when it fits in {@link WIDTH},
 * otherwise one property (or element) per line. JSON syntax is valid TypeScript.
 */
export function print(value: unknown, indent: number, used = indent): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) throw new Error('cannot print undefined');
  if (flat.length + used <= WIDTH || value === null || typeof value !== 'object') return flat;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${pad}${print(v, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const lines = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const label = `${JSON.stringify(k)}: `;
      return `${pad}${label}${print(v, indent + 2, indent + 2 + label.length + 1)},`;
    });
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}

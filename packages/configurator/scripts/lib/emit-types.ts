/**
 * Emits `src/generated/payload-types.ts`: a TypeScript interface per payload type and the
 * `PayloadTypeMap` that keys them by `PayloadType`.
 */

import { mergeSupportedOs } from '../../src/schema/os.js';
import type { OsSupport, SupportedOs } from '../../src/schema/types.js';
import type { GeneratorHeader } from './header.js';
import { renderHeader } from './header.js';
import type { Model, ModelDict, ModelKey, ModelPayload, ModelRef } from './model.js';

/** Renders the whole `payload-types.ts`. */
export function emitTypes(model: Model, header: GeneratorHeader): string {
  const out: string[] = [renderHeader(header, 'a TypeScript interface per payload type')];
  out.push(
    "import type { PlistValue } from '../plist/index.js';",
    "import type { CertificateReference } from '../schema/types.js';",
    '',
  );
  const taken = new Set<string>();
  for (const p of [model.topLevel, model.common, ...model.payloads]) out.push(...emitPayload(p, taken));
  out.push(
    '/** Every payload type of the schema and the interface of its own keys. */',
    'export interface PayloadTypeMap {',
  );
  for (const p of model.payloads) {
    out.push(`  /** ${escapeDoc(p.title)} */`, `  ${JSON.stringify(p.payloadType)}: ${p.tsName};`);
  }
  out.push(
    '}',
    '',
    '/** A `PayloadType` value the schema describes, e.g. `com.apple.wifi.managed`. */',
    'export type PayloadType = keyof PayloadTypeMap;',
    '',
  );
  return out.join('\n');
}

interface EmitContext {
  payload: ModelPayload;
  prefix: string;
}

function emitPayload(p: ModelPayload, taken: Set<string>): string[] {
  const prefix = p.tsName.replace(/Payload$|Keys$/, '');
  const ctx: EmitContext = { payload: p, prefix };
  const claim = (name: string) => {
    if (taken.has(name)) throw new Error(`generated type name ${name} is used twice`);
    taken.add(name);
    return name;
  };
  const lines: string[] = [];
  const doc = [
    `**${p.title}** (\`${p.payloadType}\`)${p.description && p.description !== p.title ? `: ${p.description}` : ''}`,
    ...(p.summary && p.summary !== p.description ? ['', p.summary] : []),
    '',
    `Availability: ${availability(p.os, true)}.`,
    `Generated from ${p.sources.map((s) => `\`${s}\``).join(', ')}.`,
  ];
  lines.push(...renderDoc(doc, ''));
  lines.push(`export interface ${claim(p.tsName)} ${renderDictBody(p.dictionary, '', p.os, ctx)}`, '');
  for (const [name, key] of p.itemDefs) {
    const tsName = claim(`${prefix}${name}`);
    lines.push(...renderDoc([`Shared element type \`${name}\` of ${p.payloadType}.`], ''));
    if (key.type === 'dictionary' && key.dictionary) {
      lines.push(`export interface ${tsName} ${renderDictionary(key.dictionary, '', p.os, ctx)}`, '');
    } else {
      lines.push(`export type ${tsName} = ${tsType(key, '', p.os, ctx)};`, '');
    }
  }
  for (const [name, dict] of p.dictDefs) {
    lines.push(...renderDoc([`Shared dictionary type \`${name}\` of ${p.payloadType}.`], ''));
    lines.push(`export interface ${claim(`${prefix}${name}`)} ${renderDictBody(dict, '', p.os, ctx)}`, '');
  }
  return lines;
}

function isRef(v: ModelKey | ModelDict | ModelRef): v is ModelRef {
  return 'ref' in v;
}

function renderDictionary(d: ModelDict | ModelRef, indent: string, os: SupportedOs, ctx: EmitContext): string {
  return isRef(d) ? `${ctx.prefix}${d.ref}` : renderDictBody(d, indent, os, ctx);
}

function renderDictBody(d: ModelDict, indent: string, os: SupportedOs, ctx: EmitContext): string {
  const inner = `${indent}  `;
  const lines: string[] = ['{'];
  for (const k of d.keys) {
    const effective = mergeSupportedOs(os, k.os);
    lines.push(...renderDoc(keyDoc(k, effective), inner));
    lines.push(`${inner}${propertyName(k.name)}${k.required ? '' : '?'}: ${tsType(k, inner, effective, ctx)};`);
  }
  if (d.anyKey) {
    const effective = mergeSupportedOs(os, d.anyKey.os);
    lines.push(...renderDoc(keyDoc(d.anyKey, effective), inner));
    // Named keys next to free-form ones would have to fit the index signature's type.
    const valueType = d.keys.length ? 'unknown' : tsType(d.anyKey, inner, effective, ctx);
    lines.push(`${inner}[key: string]: ${valueType};`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function tsType(k: ModelKey, indent: string, os: SupportedOs, ctx: EmitContext): string {
  switch (k.type) {
    case 'string':
      if (k.rangelist?.length) return literalUnion(k.rangelist);
      return k.reference ? 'CertificateReference' : 'string';
    case 'integer':
    case 'real':
      return k.rangelist?.length ? literalUnion(k.rangelist) : 'number';
    case 'boolean':
      return k.rangelist?.length ? literalUnion(k.rangelist) : 'boolean';
    case 'date':
      return 'Date';
    case 'data':
      return 'Uint8Array';
    case 'any':
      return 'PlistValue';
    case 'array': {
      if (!k.items) return 'PlistValue[]';
      if (isRef(k.items)) return `${ctx.prefix}${k.items.ref}[]`;
      return `Array<${tsType(k.items, indent, mergeSupportedOs(os, k.items.os), ctx)}>`;
    }
    case 'dictionary':
      return k.dictionary ? renderDictionary(k.dictionary, indent, os, ctx) : '{ [key: string]: PlistValue }';
  }
}

function literalUnion(values: readonly (string | number | boolean)[]): string {
  return [...new Set(values)].map((v) => JSON.stringify(v)).join(' | ');
}

function keyDoc(k: ModelKey, os: SupportedOs): string[] {
  const head = [k.title ? `**${k.title}.**` : '', k.summary ?? ''].filter(Boolean).join(' ');
  const lines = head ? [head, ''] : [];
  lines.push(`Availability: ${availability(os, false)}.`);
  if (k.format) lines.push(`Format: \`${k.format}\`.`);
  if (k.range) {
    const { min, max } = k.range;
    lines.push(`Range: ${min ?? '−∞'} … ${max ?? '∞'}.`);
  }
  if (k.reference)
    lines.push(
      `The \`PayloadUUID\` of a${k.reference === 'identity' ? 'n identity' : ' certificate'} payload in the same profile.`,
    );
  if (k.type === 'real') lines.push('Written as `<real>` even when integral.');
  if (k.default !== undefined) lines.push(`@default ${JSON.stringify(k.default)}`);
  return lines;
}

/** e.g. `iOS 5.0+ (supervised only) · macOS 10.7+`; payloads also list tvOS/visionOS/watchOS. */
function availability(os: SupportedOs, all: boolean): string {
  const names = all ? (['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'] as const) : (['iOS', 'macOS'] as const);
  const parts: string[] = [];
  for (const name of names) {
    const s: OsSupport | undefined = os[name];
    if (!s || s.introduced === 'n/a' || s.introduced === undefined) {
      parts.push(`not on ${name}`);
      continue;
    }
    const notes: string[] = [];
    if (s.supervised) notes.push('supervised only');
    if (s.deprecated) notes.push(`deprecated in ${s.deprecated}`);
    if (s.removed) notes.push(`removed in ${s.removed}`);
    if (all && s.multiple === false) notes.push('one per device');
    parts.push(`${name} ${s.introduced}+${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  return parts.join(' · ');
}

function renderDoc(lines: string[], indent: string): string[] {
  const escaped = lines.map(escapeDoc);
  while (escaped.length && escaped[escaped.length - 1] === '') escaped.pop();
  if (escaped.length === 1) return [`${indent}/** ${escaped[0]} */`];
  return [`${indent}/**`, ...escaped.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/** Keeps Apple's prose from closing the comment or starting a TSDoc tag. */
function escapeDoc(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/(^|\s)@(?!default )/g, '$1\\@');
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

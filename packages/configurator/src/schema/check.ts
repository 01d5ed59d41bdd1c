/**
 * The schema walker: checks a JS value against a generated {@link KeySchema} and records
 * issues with their path. Not part of the public API; see `validate.ts`.
 */
import { PlistInteger, PlistReal } from '../plist/index.js';
import { formatPath, type PathSegment } from '../plist/path.js';
import { findInvalidXmlChar } from '../plist/xml-text.js';
import { checkKeyOs } from './check-os.js';
import type { ValidationCode, ValidationIssue, ValidationOptions, ValidationSeverity } from './issues.js';
import { mergeSupportedOs } from './os.js';
import { resolveDictionary, resolveItems } from './resolve.js';
import { describeType, describeValue, isSensitivePath } from './sensitive.js';
import { closest } from './suggest.js';
import type {
  CertificateReferenceKind,
  DictionarySchema,
  KeySchema,
  OsName,
  PayloadSchema,
  SupportedOs,
} from './types.js';

/** A certificate reference found while walking, resolved once the whole profile is known. */
export interface FoundReference {
  path: readonly PathSegment[];
  kind: CertificateReferenceKind;
  /** The UUID string, or the payload definition object a builder was given. */
  target: string | object;
}

/** State shared by one validation run. */
export class CheckContext {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  readonly references: FoundReference[] = [];
  readonly os: OsName;

  constructor(
    readonly options: ValidationOptions,
    /** Accept payload definition objects at reference keys (builder output, before `createProfile`). */
    readonly allowReferenceObjects: boolean,
  ) {
    this.os = options.os ?? 'iOS';
  }

  /** Records an issue. */
  report(
    severity: ValidationSeverity,
    code: ValidationCode,
    path: readonly PathSegment[],
    problem: string,
    extra: { expected?: string; found?: string; hint?: string } = {},
  ): void {
    const where = formatPath(path) || '(root)';
    const issue: ValidationIssue = {
      severity,
      code,
      path: formatPath(path),
      message: `${where}: ${problem}`,
      ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
      ...(extra.found !== undefined ? { found: extra.found } : {}),
      ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
    };
    (severity === 'error' ? this.errors : this.warnings).push(issue);
  }
}

const formatCache = new Map<string, RegExp | null>();
function formatRegExp(source: string): RegExp | null {
  let re = formatCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      // Apple's regexes are written for ICU/PCRE; one JS cannot compile is skipped, not fatal.
      re = null;
    }
    formatCache.set(source, re);
  }
  return re;
}

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** Is `v` a plain dictionary (not an array, Date, Uint8Array or wrapper)? */
export function isPlainDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Options for {@link checkDictionary}. */
export interface DictionaryCheckOptions {
  /** Keys checked elsewhere (the common `Payload*` keys), never reported as unknown. */
  extraKeys?: DictionarySchema;
  /** Keys of {@link extraKeys} whose absence is an error (in a profile, not in a lone builder payload). */
  requireExtra?: boolean;
  /** Keys the caller validates itself (the top-level `PayloadContent`). */
  skip?: ReadonlySet<string>;
}

/** Checks every key of a dictionary value against `dict`. */
export function checkDictionary(
  ctx: CheckContext,
  schema: PayloadSchema,
  value: Record<string, unknown>,
  dict: DictionarySchema,
  inherited: SupportedOs,
  path: PathSegment[],
  options: DictionaryCheckOptions = {},
): void {
  const sources: [DictionarySchema, boolean][] = [[dict, true]];
  if (options.extraKeys) sources.push([options.extraKeys, options.requireExtra ?? false]);
  for (const [source, enforceRequired] of sources) {
    for (const [name, key] of Object.entries(source.keys)) {
      if (options.skip?.has(name) || (source !== dict && name in dict.keys)) continue;
      const v = value[name];
      path.push(name);
      if (v === undefined) {
        if (key.required && enforceRequired) {
          ctx.report('error', 'required', path, `required key ${name} is missing`, {
            expected: key.type,
            hint: key.title ? `add ${name} (${key.title})` : `add ${name}`,
          });
        }
      } else {
        checkKeyOs(ctx, key.os, inherited, path, name);
        checkValue(ctx, schema, v, key, mergeSupportedOs(inherited, key.os), path);
      }
      path.pop();
    }
  }
  for (const name of Object.keys(value)) {
    const v = value[name];
    if (v === undefined || options.skip?.has(name)) continue;
    if (name in dict.keys || (options.extraKeys && name in options.extraKeys.keys)) continue;
    path.push(name);
    if (dict.anyKey) {
      checkValue(ctx, schema, v, dict.anyKey, mergeSupportedOs(inherited, dict.anyKey.os), path);
    } else {
      const known = [...Object.keys(dict.keys), ...Object.keys(options.extraKeys?.keys ?? {})];
      const guess = closest(name, known);
      ctx.report('warning', 'unknown-key', path, `not a key of ${schema.payloadType} in Apple's schema`, {
        hint: guess
          ? `did you mean ${guess}?`
          : 'it is written as given; check the spelling, or ignore this if Apple added the key after the schema this SDK was generated from',
      });
    }
    path.pop();
  }
}

/** Checks one value against its key schema. */
export function checkValue(
  ctx: CheckContext,
  schema: PayloadSchema,
  value: unknown,
  key: KeySchema,
  os: SupportedOs,
  path: PathSegment[],
): void {
  if (value === null || value === undefined) {
    ctx.report('error', 'type', path, `${value} is not a plist value`, {
      expected: key.type,
      found: String(value),
      hint: 'leave the key out instead',
    });
    return;
  }
  switch (key.type) {
    case 'string':
      checkString(ctx, value, key, path);
      return;
    case 'integer':
      checkInteger(ctx, value, key, path);
      return;
    case 'real':
      checkReal(ctx, value, key, path);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        typeMismatch(ctx, 'boolean', value, path);
        return;
      }
      checkRangelist(ctx, value, key, path);
      return;
    case 'date':
      if (!(value instanceof Date)) {
        typeMismatch(ctx, 'date', value, path, 'pass a Date');
        return;
      }
      if (Number.isNaN(value.getTime())) {
        ctx.report('error', 'type', path, 'the date is invalid', { expected: 'a valid Date', found: 'Invalid Date' });
      }
      return;
    case 'data':
      if (!(value instanceof Uint8Array)) {
        typeMismatch(ctx, 'data', value, path, 'pass the bytes as a Uint8Array (or Buffer)');
        return;
      }
      return;
    case 'array':
      checkArray(ctx, schema, value, key, os, path);
      return;
    case 'dictionary': {
      if (!isPlainDict(value)) {
        typeMismatch(ctx, 'dictionary', value, path, 'pass a plain object');
        return;
      }
      const dict = key.dictionary ? resolveDictionary(schema, key.dictionary) : undefined;
      if (dict) checkDictionary(ctx, schema, value, dict, os, path);
      else checkAny(ctx, value, path, 0);
      return;
    }
    case 'any':
      checkAny(ctx, value, path, 0);
      return;
  }
}

function typeMismatch(ctx: CheckContext, expected: string, value: unknown, path: PathSegment[], hint?: string): void {
  ctx.report('error', 'type', path, `expected ${expected}, found ${describeType(value)}`, {
    expected,
    found: describeType(value),
    ...(hint ? { hint } : {}),
  });
}

function checkString(ctx: CheckContext, value: unknown, key: KeySchema, path: PathSegment[]): void {
  if (typeof value !== 'string') {
    if (key.reference && ctx.allowReferenceObjects && isPlainDict(value) && typeof value.PayloadType === 'string') {
      ctx.references.push({ path: [...path], kind: key.reference, target: value });
      return;
    }
    typeMismatch(ctx, 'string', value, path);
    return;
  }
  const bad = findInvalidXmlChar(value);
  if (bad) {
    ctx.report('error', 'invalid-string', path, `the string contains ${bad}, which XML plists cannot carry`, {
      hint: 'remove control characters (other than tab, LF and CR) and unpaired surrogates',
    });
  }
  checkRangelist(ctx, value, key, path);
  if (key.format) {
    const re = formatRegExp(key.format);
    if (re && !re.test(value)) {
      ctx.report('error', 'format', path, `the value does not match the format Apple requires`, {
        expected: `a string matching ${key.format}`,
        found: describeValue(value, path),
        ...(key.format.startsWith('^https://') ? { hint: 'use an https:// URL' } : {}),
      });
    }
  }
  if (key.valueType) checkValueType(ctx, value, key.valueType, path);
  if (key.reference) ctx.references.push({ path: [...path], kind: key.reference, target: value });
}

function checkValueType(ctx: CheckContext, value: string, valueType: string, path: PathSegment[]): void {
  let ok = true;
  if (valueType === 'url') ok = URL.canParse(value);
  else if (valueType === 'uuid') ok = UUID.test(value);
  else if (valueType === 'hostname') ok = value.length > 0 && !/[\s/]/.test(value);
  if (!ok) {
    ctx.report('error', 'value-type', path, `the value is not a valid ${valueType}`, {
      expected: valueType,
      found: describeValue(value, path),
    });
  }
}

function checkInteger(ctx: CheckContext, value: unknown, key: KeySchema, path: PathSegment[]): void {
  let n: number | bigint;
  if (value instanceof PlistInteger) n = value.value;
  else if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'number' || value instanceof PlistReal) {
    ctx.report('error', 'type', path, 'expected an integer, found a fractional or non-finite number', {
      expected: 'integer',
      found: describeValue(value, path),
      hint: 'round the value; Apple declares this key <integer>',
    });
    return;
  } else {
    typeMismatch(ctx, 'integer', value, path);
    return;
  }
  checkNumeric(ctx, n, value, key, path);
}

function checkReal(ctx: CheckContext, value: unknown, key: KeySchema, path: PathSegment[]): void {
  let n: number;
  if (value instanceof PlistReal) n = value.value;
  else if (typeof value === 'number') n = value;
  else if (value instanceof PlistInteger || typeof value === 'bigint') {
    ctx.report('error', 'type', path, 'expected a real, found an integer() wrapper or bigint', {
      expected: 'real',
      found: 'integer',
      hint: 'pass a plain number or real(n); the SDK writes it as <real>',
    });
    return;
  } else {
    typeMismatch(ctx, 'real', value, path);
    return;
  }
  if (!Number.isFinite(n)) {
    ctx.report('error', 'type', path, 'plists cannot carry NaN or Infinity', {
      expected: 'a finite number',
      found: describeValue(value, path),
    });
    return;
  }
  checkNumeric(ctx, n, value, key, path);
}

function checkNumeric(ctx: CheckContext, n: number | bigint, raw: unknown, key: KeySchema, path: PathSegment[]): void {
  if (key.rangelist && !key.rangelist.some((r) => typeof r === 'number' && Number(n) === r)) {
    ctx.report('error', 'rangelist', path, 'the value is not one Apple allows', {
      expected: `one of ${key.rangelist.join(', ')}`,
      found: describeValue(raw, path),
    });
  }
  const { min, max } = key.range ?? {};
  if ((min !== undefined && Number(n) < min) || (max !== undefined && Number(n) > max)) {
    ctx.report('error', 'range', path, 'the value is out of range', {
      expected: `${min ?? '−∞'} … ${max ?? '∞'}`,
      found: describeValue(raw, path),
    });
  }
}

function checkRangelist(ctx: CheckContext, value: string | boolean, key: KeySchema, path: PathSegment[]): void {
  if (!key.rangelist || key.rangelist.includes(value)) return;
  const caseFix =
    typeof value === 'string'
      ? key.rangelist.find((r) => typeof r === 'string' && r.toLowerCase() === value.toLowerCase())
      : undefined;
  ctx.report('error', 'rangelist', path, 'the value is not one Apple allows', {
    expected: `one of ${key.rangelist.join(', ')}`,
    found: describeValue(value, path),
    ...(caseFix !== undefined && !isSensitivePath(path) ? { hint: `values are case-sensitive: use ${caseFix}` } : {}),
  });
}

function checkArray(
  ctx: CheckContext,
  schema: PayloadSchema,
  value: unknown,
  key: KeySchema,
  os: SupportedOs,
  path: PathSegment[],
): void {
  if (!Array.isArray(value)) {
    typeMismatch(ctx, 'array', value, path, 'pass an array');
    return;
  }
  const items = key.items ? resolveItems(schema, key.items) : undefined;
  if (items?.repetition) {
    const { min, max } = items.repetition;
    if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max)) {
      ctx.report('error', 'repetition', path, `the array has ${value.length} elements`, {
        expected: min === max ? `exactly ${min}` : `${min ?? 0} … ${max ?? '∞'} elements`,
        found: String(value.length),
      });
    }
  }
  const itemOs = items ? mergeSupportedOs(os, items.os) : os;
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    if (items) checkValue(ctx, schema, value[i], items, itemOs, path);
    else checkAny(ctx, value[i], path, 0);
    path.pop();
  }
}

/** `<any>`: anything a plist can hold. Deep structures are left to the writer past a depth limit. */
function checkAny(ctx: CheckContext, value: unknown, path: PathSegment[], depth: number): void {
  if (depth > 64) return;
  if (value === null || value === undefined) {
    ctx.report('error', 'type', path, `${value} is not a plist value`, { found: String(value) });
    return;
  }
  if (typeof value === 'string') {
    const bad = findInvalidXmlChar(value);
    if (bad) ctx.report('error', 'invalid-string', path, `the string contains ${bad}, which XML plists cannot carry`);
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    ctx.report('error', 'type', path, 'plists cannot carry NaN or Infinity', { found: String(value) });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      path.push(i);
      checkAny(ctx, v, path, depth + 1);
      path.pop();
    });
    return;
  }
  if (isPlainDict(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      path.push(k);
      checkAny(ctx, v, path, depth + 1);
      path.pop();
    }
    return;
  }
  const ok =
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof Date ||
    value instanceof Uint8Array ||
    value instanceof PlistInteger ||
    value instanceof PlistReal;
  if (!ok) {
    ctx.report('error', 'type', path, `a ${describeType(value)} is not a plist value`, {
      found: describeType(value),
      hint: 'use strings, numbers, booleans, Dates, Uint8Arrays, arrays and plain objects',
    });
  }
}

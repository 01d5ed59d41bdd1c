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
import { proseRulesFor } from './rules/prose.js';
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
  /** Arrays and dictionaries on the current path: meeting one again is a cycle. */
  readonly ancestors = new Set<object>();
  /**
   * Arrays and dictionaries already checked, with the schemas they were checked against: a
   * value shared by several parents is checked once per schema, so the work is bounded by
   * the number of distinct nodes, not by the (possibly exponential) number of paths to them.
   */
  readonly checked = new Map<object, Set<KeySchema | DictionarySchema | 'any'>>();

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

const TCC_PAYLOAD = 'com.apple.TCC.configuration-profile-policy';

function isZeroOrOne(v: unknown): boolean {
  const n = v instanceof PlistInteger ? v.value : v;
  return n === 0 || n === 1 || n === 0n || n === 1n;
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

/**
 * Enters a container for checking: reports a cycle (and returns false) when `value` is one of
 * its own ancestors, and returns false without a report when it was already checked against
 * `schema` (a shared value). Callers that get `true` must call {@link leave} afterwards.
 */
export function enter(
  ctx: CheckContext,
  value: object,
  schema: KeySchema | DictionarySchema | 'any',
  path: readonly PathSegment[],
): boolean {
  if (ctx.ancestors.has(value)) {
    ctx.report('error', 'cycle', path, 'the value contains itself (a reference cycle)', {
      hint: 'a plist is a tree: no array or dictionary may contain itself; such a profile cannot be written',
    });
    return false;
  }
  let seen = ctx.checked.get(value);
  if (seen?.has(schema)) return false;
  if (!seen) {
    seen = new Set();
    ctx.checked.set(value, seen);
  }
  seen.add(schema);
  ctx.ancestors.add(value);
  return true;
}

/** Leaves a container entered with {@link enter}. */
export function leave(ctx: CheckContext, value: object): void {
  ctx.ancestors.delete(value);
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
  if (!enter(ctx, value, dict, path)) return;
  checkDictionaryKeys(ctx, schema, value, dict, inherited, path, options);
  leave(ctx, value);
}

function checkDictionaryKeys(
  ctx: CheckContext,
  schema: PayloadSchema,
  value: Record<string, unknown>,
  dict: DictionarySchema,
  inherited: SupportedOs,
  path: PathSegment[],
  options: DictionaryCheckOptions,
): void {
  const rules = proseRulesFor(schema.payloadType, dict.keys);
  const conditional = new Set(rules.flatMap((r) => r.conditional ?? []));
  const sources: [DictionarySchema, boolean][] = [[dict, true]];
  if (options.extraKeys) sources.push([options.extraKeys, options.requireExtra ?? false]);
  for (const [source, enforceRequired] of sources) {
    for (const [name, key] of Object.entries(source.keys)) {
      if (options.skip?.has(name) || (source !== dict && name in dict.keys)) continue;
      const v = value[name];
      path.push(name);
      if (v === undefined) {
        if (key.required && enforceRequired && !(source === dict && conditional.has(name))) {
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
  const proseContext = { os: ctx.os, userEnrollment: ctx.options.userEnrollment };
  for (const rule of rules) {
    for (const f of rule.check(value, proseContext)) {
      ctx.report(rule.severity, 'conditional-key', [...path, f.key], f.problem, {
        hint: `${f.hint ? `${f.hint}; ` : ''}Apple's schema: ${rule.source}`,
      });
    }
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
        if (schema.payloadType === TCC_PAYLOAD && isZeroOrOne(value)) {
          // Issue #15 item 7: Microsoft's published Defender profiles (microsoft/mdatp-xplat
          // macos/mobileconfig/profiles/fulldisk.mobileconfig) write Allowed and StaticCode as
          // <integer>1</integer>/<integer>0</integer>, and they are deployed at scale; TCC reads
          // the value as an NSNumber, whose boolValue is the same for 1 and <true/>.
          ctx.report('warning', 'integer-for-boolean', path, `expected boolean, found integer ${Number(value)}`, {
            expected: 'boolean',
            found: describeValue(value, path),
            hint: `devices read it as ${Number(value) === 1}; write <${Number(value) === 1}/> instead`,
          });
          return;
        }
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
      if (Array.isArray(value) && !enter(ctx, value, key, path)) return;
      checkArray(ctx, schema, value, key, os, path);
      if (Array.isArray(value)) leave(ctx, value);
      return;
    case 'dictionary': {
      if (!isPlainDict(value)) {
        typeMismatch(ctx, 'dictionary', value, path, 'pass a plain object');
        return;
      }
      const dict = key.dictionary ? resolveDictionary(schema, key.dictionary) : undefined;
      if (dict) checkDictionary(ctx, schema, value, dict, os, path);
      else checkAny(ctx, value, path);
      return;
    }
    case 'any':
      checkAny(ctx, value, path);
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
  else if (value instanceof PlistReal && Number.isInteger(value.value)) {
    // <real>2.0</real> where Apple declares <integer>: CFNumber converts it without loss.
    ctx.report('warning', 'real-for-integer', path, 'expected integer, found a real with an integral value', {
      expected: 'integer',
      found: describeValue(value, path),
      hint: `write <integer>${value.value}</integer>`,
    });
    n = value.value;
  } else if (typeof value === 'number' || value instanceof PlistReal) {
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
  else if (
    value instanceof PlistInteger ||
    typeof value === 'bigint' ||
    (typeof value === 'number' && Number.isInteger(value) && !ctx.allowReferenceObjects)
  ) {
    // Issue #15 item 6: devices accept <integer> where Apple declares <real> (CFNumber converts),
    // so it is a warning, whatever number mode the file was read in. A plain integral number
    // here is what readPlist returns for <integer> and what writePlist writes as <integer>;
    // builder output (validatePayload) is exempt because createProfile writes it as <real>.
    const raw = value instanceof PlistInteger ? value.value : (value as number | bigint);
    ctx.report('warning', 'integer-for-real', path, 'expected real, found integer', {
      expected: 'real',
      found: describeValue(value, path),
      hint: `devices convert it; write <real>${raw}.0</real> (real(${raw})) to match Apple's schema`,
    });
    n = Number(raw);
  } else if (typeof value === 'number') n = value;
  else {
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
    else checkAny(ctx, value[i], path);
    path.pop();
  }
}

/**
 * `<any>`: anything a plist can hold. Iterative, and each shared array or dictionary is
 * visited once, so neither deep nor widely shared input can exhaust the stack or the clock.
 */
function checkAny(ctx: CheckContext, root: unknown, rootPath: PathSegment[]): void {
  type Frame = { value: unknown; path: PathSegment[] } | { leave: object };
  const stack: Frame[] = [{ value: root, path: [...rootPath] }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leave' in frame) {
      leave(ctx, frame.leave);
      continue;
    }
    const { value, path } = frame;
    if (Array.isArray(value) || isPlainDict(value)) {
      if (!enter(ctx, value, 'any', path)) continue;
      stack.push({ leave: value });
      const entries: [PathSegment, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value).filter(([, v]) => v !== undefined);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        stack.push({ value: v, path: [...path, k] });
      }
      continue;
    }
    checkAnyScalar(ctx, value, path);
  }
}

function checkAnyScalar(ctx: CheckContext, value: unknown, path: PathSegment[]): void {
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

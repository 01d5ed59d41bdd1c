/**
 * Turns the raw YAML into the generator's model: one {@link ModelPayload} per payload type, keys
 * typed and documented, shared subkey lists turned into named definitions.
 *
 * The quirks of Apple's YAML handled here (see the vendored `schema/README.md`):
 * - anchors/aliases reuse subkey lists, sometimes in a cycle (home screen folders): a list used
 *   more than once becomes a named definition and every use a reference;
 * - `ANY` stands for free-form dictionary keys (`ConsentText` language codes…);
 * - key names with spaces (`Key Type`) are ordinary property names, never identifiers;
 * - a payload type can span several files (`com.apple.MCX(…).yaml`, `com.apple.extensiblesso(kerberos).yaml`);
 * - `TopLevel.yaml` describes `ConsentText` as a dictionary holding a `ConsentTextItem`
 *   dictionary of language keys, while real profiles put the language keys directly in
 *   `ConsentText` (Apple's own prose says so): the wrapper is collapsed.
 */

import { mergeSupportedOs } from '../../src/schema/os.js';
import type {
  CertificateReferenceKind,
  EnrollmentMode,
  OsName,
  OsSupport,
  SchemaValueType,
  SupportedOs,
} from '../../src/schema/types.js';
import type { RawKey, RawOsSupport, RawPayloadFile } from './read-schema.js';

/** One key, or an array's element, or a free-form (`ANY`) key. */
export interface ModelKey {
  /** Key name; `ANY` for free-form keys; the placeholder name for array elements. */
  name: string;
  type: SchemaValueType;
  required: boolean;
  title?: string;
  /** First paragraph of Apple's `content`, whitespace collapsed, for TSDoc. */
  summary?: string;
  rangelist?: (string | number | boolean)[];
  range?: { min?: number; max?: number };
  format?: string;
  valueType?: string;
  default?: string | number | boolean;
  repetition?: { min?: number; max?: number };
  os?: SupportedOs;
  reference?: CertificateReferenceKind;
  dictionary?: ModelDict | ModelRef;
  items?: ModelKey | ModelRef;
}

/** A dictionary's keys. */
export interface ModelDict {
  keys: ModelKey[];
  anyKey?: ModelKey;
}

/** A reference to a named definition of the same payload. */
export interface ModelRef {
  ref: string;
}

/** One payload type. */
export interface ModelPayload {
  payloadType: string;
  /** TypeScript interface name, e.g. `WifiManagedPayload`. */
  tsName: string;
  title: string;
  description: string;
  summary?: string;
  sources: string[];
  os: SupportedOs;
  dictionary: ModelDict;
  itemDefs: Map<string, ModelKey>;
  dictDefs: Map<string, ModelDict>;
}

/** The whole model. */
export interface Model {
  /** `TopLevel.yaml`: the outer profile dictionary. */
  topLevel: ModelPayload;
  /** `CommonPayloadKeys.yaml`: keys every payload dictionary has. */
  common: ModelPayload;
  /** Every other payload type, sorted by `payloadType`. */
  payloads: ModelPayload[];
  /** Notes about how the YAML was interpreted (merges, quirk fixes), for the generated header. */
  notes: string[];
}

const TYPE_MAP: Record<string, SchemaValueType> = {
  '<string>': 'string',
  '<integer>': 'integer',
  '<real>': 'real',
  '<boolean>': 'boolean',
  '<date>': 'date',
  '<data>': 'data',
  '<array>': 'array',
  '<dictionary>': 'dictionary',
  '<any>': 'any',
};

const OS_ORDER: readonly OsName[] = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'];

/**
 * Keys whose value is the `PayloadUUID` of another payload of the same profile. Apple says so
 * only in prose ("The UUID of the certificate payload within the same profile…"), so the
 * generator recognises them by name; each match was checked against its `content` text.
 */
const REFERENCE_NAME = /(Certificate(Anchor)?UUIDs?|CertPayloadUUID|AnchorUUIDs?)(Item)?$/i;
/** Of those, the ones that must point at a plain certificate (a trust anchor, a CA, an encryption cert). */
const CERTIFICATE_NAME = /Anchor|CACertificate|Pinning|EncryptCert/i;
/** Payloads whose `PayloadCertificateUUID` points at a plain certificate, per Apple's prose. */
const CERTIFICATE_REFERENCE_PAYLOADS = new Set([
  // "…containing the asymmetric recovery key certificate payload"
  'com.apple.MCX.FileVault2',
  // maps an e-mail address to a certificate; no private key involved
  'com.apple.security.certificatepreference',
]);

/** Builds the model from the files of one schema folder. */
export function buildModel(files: RawPayloadFile[]): Model {
  const notes: string[] = [];
  const byType = new Map<string, RawPayloadFile[]>();
  for (const f of files) byType.set(f.payloadType, [...(byType.get(f.payloadType) ?? []), f]);

  const take = (type: string): ModelPayload => {
    const group = byType.get(type);
    if (!group) throw new Error(`the schema has no ${type}.yaml`);
    byType.delete(type);
    return buildPayload(group, notes);
  };
  const topLevel = take('TopLevel');
  const common = take('CommonPayloadKeys');
  const payloads = [...byType.keys()].sort(compareStrings).map((t) => buildPayload(byType.get(t) ?? [], notes));
  assignTsNames([topLevel, common, ...payloads]);
  topLevel.tsName = 'ProfileTopLevelKeys';
  common.tsName = 'CommonPayloadKeys';
  return { topLevel, common, payloads, notes };
}

/** Plain code-unit order, so output does not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildPayload(group: RawPayloadFile[], notes: string[]): ModelPayload {
  // The file named exactly after the payload type is the primary one; otherwise the first by name.
  const sorted = [...group].sort((a, b) => compareStrings(a.file, b.file));
  const primary = sorted.find((f) => f.file === `${f.payloadType}.yaml`) ?? sorted[0];
  if (!primary) throw new Error('empty payload group');
  const ordered = [primary, ...sorted.filter((f) => f !== primary)];
  const payloadOs = convertOs(primary.supportedOS) ?? {};
  const ctx: BuildContext = {
    payloadType: primary.payloadType,
    file: primary.file,
    itemDefs: new Map(),
    dictDefs: new Map(),
    listNames: new Map(),
    usage: new Map(),
    notes,
  };
  for (const f of ordered) countUses(f.keys, ctx.usage, new Set());

  const dictionary: ModelDict = { keys: [] };
  for (const f of ordered) {
    ctx.file = f.file;
    const converted = convertDictList(f.keys, ctx, primary.payloadType);
    // Keys of a secondary file carry that file's own payload-level OS support.
    const fileOs = f === primary ? undefined : convertOs(f.supportedOS);
    for (const key of converted.keys) {
      if (dictionary.keys.some((k) => k.name === key.name)) continue;
      dictionary.keys.push(fileOs ? { ...key, os: mergeSupportedOs(fileOs, key.os) } : key);
    }
    if (converted.anyKey && !dictionary.anyKey) dictionary.anyKey = converted.anyKey;
  }
  if (ordered.length > 1) {
    notes.push(
      `${primary.payloadType}: merged ${ordered.map((f) => f.file).join(', ')} (first file wins for shared keys)`,
    );
  }
  const title =
    primary.file === `${primary.payloadType}.yaml` ? primary.title : ordered.map((f) => f.title).join(' / ');
  return {
    payloadType: primary.payloadType,
    tsName: '',
    title,
    description: primary.description,
    ...(primary.content ? { summary: summarize(primary.content) } : {}),
    sources: ordered.map((f) => f.file),
    os: payloadOs,
    dictionary,
    itemDefs: ctx.itemDefs,
    dictDefs: ctx.dictDefs,
  };
}

interface BuildContext {
  payloadType: string;
  file: string;
  itemDefs: Map<string, ModelKey>;
  dictDefs: Map<string, ModelDict>;
  /** Name given to each shared subkey list (by object identity). */
  listNames: Map<RawKey[], string>;
  /** How many keys point at each subkey list (by object identity). */
  usage: Map<RawKey[], number>;
  notes: string[];
}

function countUses(keys: RawKey[], usage: Map<RawKey[], number>, visited: Set<RawKey[]>): void {
  if (visited.has(keys)) return;
  visited.add(keys);
  for (const k of keys) {
    if (!k.subkeys) continue;
    usage.set(k.subkeys, (usage.get(k.subkeys) ?? 0) + 1);
    countUses(k.subkeys, usage, visited);
  }
}

function convertDictList(list: RawKey[], ctx: BuildContext, owner: string): ModelDict {
  const dict: ModelDict = { keys: [] };
  for (const raw of list) {
    if (raw.key === 'ANY') {
      dict.anyKey = asElement(convertKey(raw, ctx, ''));
      continue;
    }
    if (dict.keys.some((k) => k.name === raw.key)) {
      throw new Error(`${ctx.file}: duplicate key ${raw.key} in ${owner}`);
    }
    dict.keys.push(convertKey(raw, ctx, ''));
  }
  return dict;
}

/** `arrayName`: for an array element, the name of its array (element names are placeholders). */
function convertKey(raw: RawKey, ctx: BuildContext, arrayName: string): ModelKey {
  const type = TYPE_MAP[raw.type];
  if (!type) throw new Error(`${ctx.file}: unknown type ${raw.type} at ${raw.key}`);
  const key: ModelKey = { name: raw.key, type, required: raw.presence === 'required' };
  if (raw.title) key.title = raw.title;
  if (raw.content) {
    const s = summarize(raw.content);
    if (s) key.summary = s;
  }
  if (raw.rangelist) key.rangelist = raw.rangelist.filter(isScalar);
  if (raw.range) key.range = { ...raw.range };
  if (raw.format) key.format = raw.format;
  const valueType = raw.valuetype ?? raw.subtype?.replace(/^<|>$/g, '');
  if (valueType) key.valueType = valueType;
  if (isScalar(raw.default)) key.default = raw.default;
  if (raw.repetition) key.repetition = { ...raw.repetition };
  const os = raw.supportedOS ? convertOs(raw.supportedOS) : undefined;
  if (os && Object.keys(os).length) key.os = os;
  const reference = classifyReference(raw, ctx.payloadType, arrayName);
  if (reference) key.reference = reference;

  if (raw.subkeys && type === 'array') {
    key.items = convertItems(raw, raw.subkeys, ctx);
  } else if (raw.subkeys && type === 'dictionary') {
    key.dictionary = convertDictionary(raw, raw.subkeys, ctx);
  }
  return key;
}

function classifyReference(raw: RawKey, payloadType: string, arrayName: string): CertificateReferenceKind | undefined {
  const isString = raw.type === '<string>';
  const isStringArray = raw.type === '<array>' && raw.subkeys?.[0]?.type === '<string>';
  if (!isString && !isStringArray) return undefined;
  // Array elements are named after their array (`…UUIDsItem`) or are a bare placeholder.
  const name = REFERENCE_NAME.test(raw.key) ? raw.key : isString && REFERENCE_NAME.test(arrayName) ? arrayName : '';
  if (!name) return undefined;
  if (isStringArray) return undefined; // the element carries the mark, the array does not
  if (CERTIFICATE_NAME.test(name)) return 'certificate';
  if (name === 'PayloadCertificateUUID' && CERTIFICATE_REFERENCE_PAYLOADS.has(payloadType)) return 'certificate';
  return 'identity';
}

function convertItems(owner: RawKey, list: RawKey[], ctx: BuildContext): ModelKey | ModelRef {
  const element = list[0];
  if (!element) throw new Error(`${ctx.file}: array ${owner.key} has no element type`);
  if ((ctx.usage.get(list) ?? 0) < 2) return asElement(convertKey(element, ctx, owner.key));
  const existing = ctx.listNames.get(list);
  if (existing !== undefined) return { ref: existing };
  const name = uniqueName(pascal(owner.subkeytype ?? element.key), ctx);
  ctx.listNames.set(list, name);
  // Registered before converting, so a cycle back to this list resolves to the reference.
  ctx.itemDefs.set(name, { name: element.key, type: 'any', required: false });
  ctx.itemDefs.set(name, asElement(convertKey(element, ctx, owner.key)));
  return { ref: name };
}

function convertDictionary(owner: RawKey, list: RawKey[], ctx: BuildContext): ModelDict | ModelRef {
  // Quirk: `ConsentText` → `ConsentTextItem` (a dictionary of `ANY`) → collapse the wrapper.
  const only = list.length === 1 ? list[0] : undefined;
  if (only && only.key === `${owner.key}Item` && only.type === '<dictionary>' && only.subkeys) {
    const inner = only.subkeys;
    if (inner.length === 1 && inner[0]?.key === 'ANY') {
      ctx.notes.push(
        `${ctx.payloadType}: ${owner.key}.${only.key} wrapper collapsed (${owner.key} holds the ANY keys itself)`,
      );
      return convertDictionary(owner, inner, ctx);
    }
  }
  if ((ctx.usage.get(list) ?? 0) < 2) return convertDictList(list, ctx, owner.key);
  const existing = ctx.listNames.get(list);
  if (existing !== undefined) return { ref: existing };
  const name = uniqueName(pascal(owner.subkeytype ?? owner.key), ctx);
  ctx.listNames.set(list, name);
  ctx.dictDefs.set(name, { keys: [] });
  ctx.dictDefs.set(name, convertDictList(list, ctx, owner.key));
  return { ref: name };
}

/** Array elements and `ANY` keys have no presence of their own (Apple marks some `required` anyway). */
function asElement(key: ModelKey): ModelKey {
  return { ...key, required: false };
}

function uniqueName(base: string, ctx: BuildContext): string {
  let name = base || 'Item';
  for (let n = 2; ctx.itemDefs.has(name) || ctx.dictDefs.has(name); n++) name = `${base}${n}`;
  return name;
}

/** Converts a raw `supportedOS` into the camel-cased runtime shape, in Apple's OS order. */
export function convertOs(raw: Record<string, RawOsSupport | null> | null | undefined): SupportedOs | undefined {
  if (!raw) return undefined;
  const out: { [O in OsName]?: OsSupport } = {};
  for (const os of OS_ORDER) {
    const r = raw[os];
    if (!r) continue;
    const s: {
      -readonly [K in keyof OsSupport]: OsSupport[K];
    } = {};
    if (r.introduced !== undefined) s.introduced = r.introduced;
    if (r.deprecated !== undefined) s.deprecated = r.deprecated;
    if (r.removed !== undefined) s.removed = r.removed;
    if (r.supervised !== undefined) s.supervised = r.supervised;
    if (r.multiple !== undefined) s.multiple = r.multiple;
    if (r.allowmanualinstall !== undefined) s.allowManualInstall = r.allowmanualinstall;
    if (r.devicechannel !== undefined) s.deviceChannel = r.devicechannel;
    if (r.userchannel !== undefined) s.userChannel = r.userchannel;
    if (r.requiresdep !== undefined) s.requiresDep = r.requiresdep;
    if (r.userapprovedmdm !== undefined) s.userApprovedMdm = r.userapprovedmdm;
    if (r.sharedipad) {
      s.sharedIpad = {
        ...(r.sharedipad.mode ? { mode: r.sharedipad.mode as EnrollmentMode } : {}),
        ...(r.sharedipad.devicechannel !== undefined ? { deviceChannel: r.sharedipad.devicechannel } : {}),
        ...(r.sharedipad.userchannel !== undefined ? { userChannel: r.sharedipad.userchannel } : {}),
      };
    }
    if (r.userenrollment) {
      s.userEnrollment = {
        ...(r.userenrollment.mode ? { mode: r.userenrollment.mode as EnrollmentMode } : {}),
        ...(r.userenrollment.behavior ? { behavior: r.userenrollment.behavior } : {}),
      };
    }
    out[os] = s;
  }
  return out;
}

/** First paragraph, whitespace collapsed, cut at ~280 characters on a word boundary. */
export function summarize(content: string): string {
  const first = (content.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim();
  if (first.length <= 280) return first;
  const cut = first.slice(0, 280);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 200 ? cut.lastIndexOf(' ') : 280)}…`;
}

/** `com.apple.wifi.managed` → `WifiManaged` (after the caller strips `com.apple.`). */
export function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('')
    .replace(/^(\d)/, 'N$1');
}

function assignTsNames(payloads: ModelPayload[]): void {
  const short = (t: string) => `${pascal(t.replace(/^com\.apple\./, ''))}Payload`;
  const counts = new Map<string, number>();
  for (const p of payloads) counts.set(short(p.payloadType), (counts.get(short(p.payloadType)) ?? 0) + 1);
  for (const p of payloads) {
    // On a clash (`loginwindow` vs `com.apple.loginwindow`) every party spells its full type.
    p.tsName = (counts.get(short(p.payloadType)) ?? 0) > 1 ? `${pascal(p.payloadType)}Payload` : short(p.payloadType);
  }
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

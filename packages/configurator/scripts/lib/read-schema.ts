/**
 * Reads Apple's profile YAML (`mdm/profiles/*.yaml` of https://github.com/apple/device-management)
 * and checks the shape the generator relies on.
 *
 * Not zod: the YAML's anchors/aliases form cycles (`com.apple.homescreenlayout.yaml`: a folder
 * icon holds pages that hold icons) and a schema library would recurse forever. The walk here
 * visits every shared subkey list once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A `supportedOS.<os>` block as written in the YAML. */
export interface RawOsSupport {
  introduced?: string;
  deprecated?: string;
  removed?: string;
  supervised?: boolean;
  multiple?: boolean;
  allowmanualinstall?: boolean;
  devicechannel?: boolean;
  userchannel?: boolean;
  requiresdep?: boolean;
  userapprovedmdm?: boolean;
  sharedipad?: { mode?: string; devicechannel?: boolean; userchannel?: boolean };
  userenrollment?: { mode?: string; behavior?: string };
}

/** A key entry as written in the YAML. */
export interface RawKey {
  key: string;
  title?: string;
  type: string;
  presence?: string;
  supportedOS?: Record<string, RawOsSupport | null>;
  rangelist?: unknown[];
  range?: { min?: number; max?: number };
  default?: unknown;
  format?: string;
  valuetype?: string;
  subtype?: string;
  repetition?: { min?: number; max?: number };
  content?: string;
  subkeytype?: string;
  subkeys?: RawKey[];
}

/** One YAML file. */
export interface RawPayloadFile {
  /** File name, e.g. `com.apple.wifi.managed.yaml`. */
  file: string;
  title: string;
  description: string;
  payloadType: string;
  supportedOS: Record<string, RawOsSupport | null>;
  content?: string;
  keys: RawKey[];
}

/** Fields of a key entry the generator understands (`docs/schema.md`). */
const KNOWN_KEY_FIELDS = new Set([
  'key',
  'title',
  'type',
  'presence',
  'supportedOS',
  'rangelist',
  'range',
  'default',
  'format',
  'valuetype',
  'subtype',
  'repetition',
  'content',
  'subkeytype',
  'subkeys',
  'assettypes',
  'combinetype',
]);
const KNOWN_OS_FIELDS = new Set([
  'introduced',
  'deprecated',
  'removed',
  'supervised',
  'multiple',
  'allowmanualinstall',
  'devicechannel',
  'userchannel',
  'requiresdep',
  'userapprovedmdm',
  'sharedipad',
  'userenrollment',
  'accessrights',
]);
/** Apple's value types (`docs/schema.md`, "Type Values"). */
export const KNOWN_TYPES = new Set([
  '<string>',
  '<integer>',
  '<real>',
  '<boolean>',
  '<date>',
  '<data>',
  '<array>',
  '<dictionary>',
  '<any>',
]);

/** Raised when the YAML does not have a shape the generator can translate faithfully. */
export class SchemaShapeError extends Error {
  constructor(file: string, path: string, problem: string) {
    super(`${file}${path ? ` at ${path}` : ''}: ${problem}`);
    this.name = 'SchemaShapeError';
  }
}

/** Result of {@link readSchemaDir}. */
export interface ReadSchemaResult {
  files: RawPayloadFile[];
  /** Fields the generator does not know and ignored (a newer upstream may add some). */
  ignoredFields: string[];
}

/**
 * Finds the profile YAML folder: `<dir>/mdm/profiles` (an upstream checkout or our vendored
 * `schema/`) or `<dir>` itself when it holds the `.yaml` files directly.
 */
export function profilesDir(dir: string): string {
  const nested = join(dir, 'mdm', 'profiles');
  if (existsSync(nested)) return nested;
  if (existsSync(join(dir, 'TopLevel.yaml'))) return dir;
  throw new Error(`${dir} holds neither mdm/profiles/ nor TopLevel.yaml; pass an apple/device-management checkout`);
}

/** Reads and shape-checks every `*.yaml` of a profiles folder, sorted by file name. */
export function readSchemaDir(dir: string): ReadSchemaResult {
  const folder = profilesDir(dir);
  const ignored = new Set<string>();
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => readPayloadFile(file, readFileSync(join(folder, file), 'utf8'), ignored));
  return { files, ignoredFields: [...ignored].sort() };
}

function readPayloadFile(file: string, text: string, ignored: Set<string>): RawPayloadFile {
  // Aliases are the schema's own reuse mechanism (no untrusted input here), so no alias limit.
  const doc = parse(text, { maxAliasCount: -1 }) as unknown;
  if (!isRecord(doc)) throw new SchemaShapeError(file, '', 'top level is not a mapping');
  const payload = doc.payload;
  if (!isRecord(payload) || typeof payload.payloadtype !== 'string') {
    throw new SchemaShapeError(file, 'payload', 'missing payload.payloadtype');
  }
  if (!Array.isArray(doc.payloadkeys)) throw new SchemaShapeError(file, 'payloadkeys', 'is not a list');
  const supportedOS = payload.supportedOS ?? {};
  checkOs(file, 'payload.supportedOS', supportedOS, ignored);
  const seen = new Set<unknown>();
  checkKeys(file, 'payloadkeys', doc.payloadkeys, seen, ignored);
  return {
    file,
    title: typeof doc.title === 'string' ? doc.title : String(payload.payloadtype),
    description: typeof doc.description === 'string' ? doc.description : '',
    payloadType: payload.payloadtype,
    supportedOS: supportedOS as Record<string, RawOsSupport | null>,
    ...(typeof payload.content === 'string' ? { content: payload.content } : {}),
    keys: doc.payloadkeys as RawKey[],
  };
}

function checkKeys(file: string, path: string, keys: unknown, seen: Set<unknown>, ignored: Set<string>): void {
  if (!Array.isArray(keys)) throw new SchemaShapeError(file, path, 'subkeys is not a list');
  if (seen.has(keys)) return; // a shared (aliased) list, already checked
  seen.add(keys);
  for (const [i, k] of keys.entries()) {
    const where = `${path}[${i}]`;
    if (!isRecord(k)) throw new SchemaShapeError(file, where, 'key entry is not a mapping');
    if (typeof k.key !== 'string' || k.key === '') throw new SchemaShapeError(file, where, 'missing key name');
    const at = `${path}.${k.key}`;
    if (typeof k.type !== 'string' || !KNOWN_TYPES.has(k.type)) {
      throw new SchemaShapeError(
        file,
        at,
        `unknown type ${JSON.stringify(k.type)}; teach scripts/lib/model.ts the new type before regenerating`,
      );
    }
    for (const field of Object.keys(k)) if (!KNOWN_KEY_FIELDS.has(field)) ignored.add(`key.${field}`);
    if (k.presence !== undefined && k.presence !== 'required' && k.presence !== 'optional') {
      throw new SchemaShapeError(file, at, `presence must be required|optional, got ${JSON.stringify(k.presence)}`);
    }
    for (const s of ['title', 'format', 'valuetype', 'subtype', 'content', 'subkeytype'] as const) {
      if (k[s] !== undefined && typeof k[s] !== 'string') throw new SchemaShapeError(file, at, `${s} is not a string`);
    }
    if (k.rangelist !== undefined && !Array.isArray(k.rangelist)) {
      throw new SchemaShapeError(file, at, 'rangelist is not a list');
    }
    for (const b of ['range', 'repetition'] as const) {
      const r = k[b];
      if (r === undefined) continue;
      if (!isRecord(r)) throw new SchemaShapeError(file, at, `${b} is not a mapping`);
      for (const [f, v] of Object.entries(r)) {
        if ((f !== 'min' && f !== 'max') || typeof v !== 'number') {
          throw new SchemaShapeError(file, at, `${b}.${f} is not a numeric min/max`);
        }
      }
    }
    if (k.supportedOS !== undefined && k.supportedOS !== null)
      checkOs(file, `${at}.supportedOS`, k.supportedOS, ignored);
    if (k.subkeys !== undefined) {
      if (k.type !== '<array>' && k.type !== '<dictionary>') {
        throw new SchemaShapeError(file, at, `subkeys on a ${k.type} key`);
      }
      if (k.type === '<array>' && (!Array.isArray(k.subkeys) || k.subkeys.length !== 1)) {
        throw new SchemaShapeError(file, at, 'an array must describe exactly one element type');
      }
      checkKeys(file, at, k.subkeys, seen, ignored);
    }
  }
}

function checkOs(file: string, path: string, os: unknown, ignored: Set<string>): void {
  if (os === null) return;
  if (!isRecord(os)) throw new SchemaShapeError(file, path, 'supportedOS is not a mapping');
  for (const [name, block] of Object.entries(os)) {
    if (block === null || block === undefined) continue;
    if (!isRecord(block)) throw new SchemaShapeError(file, `${path}.${name}`, 'is not a mapping');
    for (const [field, value] of Object.entries(block)) {
      if (!KNOWN_OS_FIELDS.has(field)) {
        ignored.add(`supportedOS.${field}`);
        continue;
      }
      if ((field === 'introduced' || field === 'deprecated' || field === 'removed') && typeof value !== 'string') {
        // An unquoted 10.10 would read as the number 10.1: refuse rather than guess.
        throw new SchemaShapeError(file, `${path}.${name}.${field}`, `version is not a string: ${String(value)}`);
      }
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

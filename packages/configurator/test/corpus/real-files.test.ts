/**
 * The corpus of real files (`test/fixtures/real/profiles`, `test/fixtures/real/plists`, sources
 * and licences in each folder's SOURCES.md): what other software wrote, read as Python
 * `plistlib` reads it, written back without changing a value or a type, and validated as
 * recorded in `profiles/expected.json` (issue #15).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import { type PlistValue, readPlist, validateProfile, writePlist } from '../../src/index.js';
import { normalize, pythonLoads, type Tagged, tag } from '../fixtures/tagged.js';

const root = fileURLToPath(new URL('../../../../test/fixtures/real/', import.meta.url));
const files = ['profiles', 'plists'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => !f.endsWith('.md') && !f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(root, dir, name)), profile: dir === 'profiles' })),
);

/**
 * Files plistlib reads that this SDK refuses on purpose, with the reason. Keep this list short:
 * every entry is a file a device (CoreFoundation) refuses too.
 */
const REFUSED_ON_PURPOSE: Record<string, RegExp> = {
  // Fuzzer-made: its offset table runs into the trailer and its arrays contain themselves.
  // CFBinaryPList.c refuses both; plistlib builds a cyclic list.
  'rust-plist-binary_circular_array.plist': /offset table out of range/,
};

const expected = JSON.parse(readFileSync(join(root, 'profiles', 'expected.json'), 'utf8')) as Record<
  string,
  { errors: string[]; warnings: string[] } | { readError: string }
>;

/** plistlib's UID as CoreFoundation writes it to XML (and as readPlist returns it). */
function uidAsDict(t: Tagged): Tagged {
  if ('uid' in t) return { dict: [['CF$UID', { int: String(t.uid) }]] };
  if ('array' in t) return { array: t.array.map(uidAsDict) };
  if ('dict' in t) return { dict: t.dict.map(([k, v]) => [k, uidAsDict(v)] as [string, Tagged]) };
  return t;
}

function tryRead(bytes: Uint8Array): { value: PlistValue } | { error: Error } {
  try {
    return { value: readPlist(bytes) };
  } catch (e) {
    return { error: e as Error };
  }
}

describe('the corpus', () => {
  it('holds 20 to 60 files, each listed in its SOURCES.md', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files.length).toBeLessThanOrEqual(60);
    for (const dir of ['profiles', 'plists']) {
      const sources = readFileSync(join(root, dir, 'SOURCES.md'), 'utf8');
      for (const f of files.filter((x) => x.profile === (dir === 'profiles')))
        expect(sources).toContain(`\`${f.name}\``);
    }
  });

  it('every profile has a recorded validation verdict', () => {
    for (const f of files.filter((x) => x.profile)) expect(expected[f.name], f.name).toBeDefined();
  });
});

describe.skipIf(!peers.python3)('the corpus against Python plistlib', () => {
  const python = peers.python3 ? pythonLoads(files.map((f) => f.bytes)) : [];

  it('plistlib answered for every file', () => {
    expect(python).toHaveLength(files.length);
  });

  it.each(files.map((f, i) => [f.name, i] as const))('%s: reads what plistlib reads, value for value', (name, i) => {
    const peer = python[i]!;
    const ours = tryRead(files[i]!.bytes);
    if ('error' in peer) {
      expect('error' in ours, `plistlib refused ${name} (${peer.error}) but readPlist read it`).toBe(true);
      return;
    }
    if ('error' in ours) {
      expect(REFUSED_ON_PURPOSE[name], `readPlist refused ${name}: ${ours.error.message}`).toBeDefined();
      expect(ours.error.message).toMatch(REFUSED_ON_PURPOSE[name]!);
      return;
    }
    expect(tag(ours.value)).toEqual(normalize(uidAsDict(peer)));
  });

  it('writes every readable file back without changing a value or a type (checked by plistlib)', () => {
    const readable = files
      .map((f, i) => ({ f, peer: python[i]!, ours: tryRead(f.bytes) }))
      .filter((x): x is typeof x & { ours: { value: PlistValue } } => 'value' in x.ours && !('error' in x.peer));
    expect(readable.length).toBeGreaterThanOrEqual(25);
    const written = readable.map((x) => writePlist(x.ours.value));
    const back = pythonLoads(written);
    expect(back).toHaveLength(readable.length);
    readable.forEach((x, i) => {
      expect(back[i], x.f.name).toEqual(normalize(uidAsDict(x.peer)));
      // And our own reader gives the same bytes again.
      expect(writePlist(readPlist(written[i]!)), x.f.name).toBe(written[i]);
    });
  });
});

describe('the corpus: validation as recorded in profiles/expected.json', () => {
  it.each(files.filter((f) => f.profile).map((f) => [f.name, f] as const))('%s', (name, f) => {
    const want = expected[name]!;
    const got = tryRead(f.bytes);
    if ('readError' in want) {
      expect('error' in got).toBe(true);
      expect((got as { error: Error }).error.name).toBe(want.readError);
      return;
    }
    expect('value' in got).toBe(true);
    const r = validateProfile((got as { value: PlistValue }).value, { os: 'macOS' });
    expect(r.errors.map((e) => `${e.code}@${e.path}`)).toEqual(want.errors);
    expect([...new Set(r.warnings.map((w) => w.code))].sort()).toEqual(want.warnings);
  });
});

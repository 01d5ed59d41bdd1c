/**
 * The generator on a small hand-written schema that has every quirk of Apple's YAML
 * (recursive aliases, ANY keys, keys with spaces, a payload type split over two files, the
 * ConsentText wrapper), plus its refusals, plus spot checks of the real generated output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/peers.js';
import { runCli } from '../../scripts/lib/cli.js';
import { friendlyName } from '../../scripts/lib/emit-restrictions.js';
import { generate, readSource } from '../../scripts/lib/generate.js';
import { SchemaShapeError } from '../../scripts/lib/read-schema.js';
import { PAYLOAD_SCHEMAS, TOP_LEVEL_SCHEMA } from '../../src/generated/payload-schemas.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

const TOP_LEVEL = `title: Top Level
description: ''
payload:
  payloadtype: TopLevel
  supportedOS:
    iOS:
      introduced: '4.0'
payloadkeys:
- key: PayloadIdentifier
  type: <string>
  presence: required
- key: ConsentText
  type: <dictionary>
  presence: optional
  subkeys:
  - key: ConsentTextItem
    type: <dictionary>
    presence: required
    subkeys:
    - key: ANY
      type: <string>
      presence: required
- key: DurationUntilRemoval
  type: <real>
  presence: optional
`;

const COMMON = `title: Common Payload Keys
description: Common
payload:
  payloadtype: CommonPayloadKeys
  supportedOS:
    iOS:
      introduced: '4.0'
payloadkeys:
- key: PayloadIdentifier
  type: <string>
  presence: required
`;

const RESTRICTIONS = `title: Restrictions
description: Restrictions
payload:
  payloadtype: com.apple.applicationaccess
  supportedOS:
    iOS:
      introduced: '4.0'
payloadkeys:
- key: allowCamera
  type: <boolean>
  presence: optional
  default: true
- key: allowVPNCreation
  type: <boolean>
  presence: optional
  supportedOS:
    iOS:
      supervised: true
- key: allowiTunes
  type: <boolean>
  presence: optional
- key: allowedExternalIntelligenceWorkspaceIDs
  type: <array>
  presence: optional
  subkeys:
  - key: WorkspaceID
    type: <string>
- key: ratingApps
  type: <integer>
  presence: optional
  range:
    min: 0
    max: 1000
`;

const TREE = `title: Tree
description: A recursive layout
payload:
  payloadtype: com.example.tree
  supportedOS:
    iOS:
      introduced: '9.3'
      supervised: true
    macOS:
      introduced: n/a
payloadkeys:
- key: Dock
  type: <array>
  presence: optional
  subkeytype: IconItem
  subkeys: &id001
  - key: IconItem
    type: <dictionary>
    subkeys:
    - key: Type
      type: <string>
      presence: required
      rangelist: [App, Folder]
    - key: Pages
      type: <array>
      presence: optional
      subkeytype: PagesItem
      subkeys: &id002
      - key: PagesItem
        type: <array>
        subkeys: *id001
- key: Pages
  type: <array>
  presence: required
  subkeys: *id002
- key: Key Type
  type: <string>
  presence: optional
  default: RSA
- key: Settings
  type: <dictionary>
  presence: optional
  subkeys:
  - key: ANY
    type: <integer>
- key: Ratio
  type: <real>
  presence: optional
  content: 'Closes */ a comment and mentions @someone.'
- key: PayloadCertificateAnchorUUID
  type: <array>
  presence: optional
  subkeys:
  - key: CertificateAnchorUUID
    type: <string>
- key: IdentityCertificateUUID
  type: <string>
  presence: optional
`;

const SPLIT_PRIMARY = `title: Split
description: Split payload
payload:
  payloadtype: com.example.split
  supportedOS:
    iOS:
      introduced: '10.0'
payloadkeys:
- key: Shared
  type: <string>
  presence: required
`;

const SPLIT_SECONDARY = `title: Split (extra)
description: More keys
payload:
  payloadtype: com.example.split
  supportedOS:
    iOS:
      introduced: '12.0'
payloadkeys:
- key: Shared
  type: <integer>
  presence: optional
- key: Extra
  type: <boolean>
  presence: optional
`;

const dirs: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of dirs) cleanup();
});

function fixture(extra: Record<string, string> = {}, options: { upstream?: boolean; license?: boolean } = {}) {
  const t = tempDir('schoolmdm-schema-');
  dirs.push(t.cleanup);
  const profiles = join(t.dir, 'mdm', 'profiles');
  mkdirSync(profiles, { recursive: true });
  const files: Record<string, string> = {
    'TopLevel.yaml': TOP_LEVEL,
    'CommonPayloadKeys.yaml': COMMON,
    'com.apple.applicationaccess.yaml': RESTRICTIONS,
    'com.example.tree.yaml': TREE,
    'com.example.split.yaml': SPLIT_PRIMARY,
    'com.example.split(extra).yaml': SPLIT_SECONDARY,
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(profiles, name), text);
  if (options.license !== false) writeFileSync(join(t.dir, 'LICENSE.txt'), 'Copyright © 2099 Example Inc.\n\nMIT\n');
  if (options.upstream !== false) {
    writeFileSync(
      join(t.dir, 'upstream.json'),
      JSON.stringify({ repository: 'https://example.org/schema', commit: 'c0ffee', commitDate: '2099-01-01', release: 'R1' }),
    );
  }
  return t.dir;
}

describe('generator on a schema with every quirk', () => {
  const dir = fixture();
  const { files, model } = generate(dir);
  const types = files['src/generated/payload-types.ts'];
  const schemas = files['src/generated/payload-schemas.ts'];
  const tree = model.payloads.find((p) => p.payloadType === 'com.example.tree');

  it('turns recursive aliases into named definitions referenced by name', () => {
    expect([...(tree?.itemDefs.keys() ?? [])]).toEqual(['IconItem', 'PagesItem']);
    expect(types).toContain('export interface ComExampleTreeIconItem {');
    expect(types).toContain('export type ComExampleTreePagesItem = ComExampleTreeIconItem[];');
    expect(types).toMatch(/Pages\?: ComExampleTreePagesItem\[\];/);
    expect(types).toMatch(/Dock\?: ComExampleTreeIconItem\[\];/);
    expect(types).toMatch(/\n {2}Pages: ComExampleTreePagesItem\[\];/);
    expect(schemas).toMatch(/"items": ?\{"ref":"IconItem"\}/);
  });

  it('quotes keys with spaces, maps ANY to an index signature and rangelists to literal unions', () => {
    expect(types).toContain('"Key Type"?: string;');
    expect(types).toMatch(/Settings\?: \{\n[\s\S]*?\[key: string\]: number;/);
    expect(types).toContain('Type: "App" | "Folder";');
  });

  it('collapses the ConsentText wrapper and notes it', () => {
    expect(model.notes.some((n) => n.includes('ConsentText.ConsentTextItem wrapper collapsed'))).toBe(true);
    expect(types).toMatch(/ConsentText\?: \{\n[\s\S]*?\[key: string\]: string;/);
  });

  it('merges a payload type split over two files; the primary file wins for shared keys', () => {
    const split = model.payloads.find((p) => p.payloadType === 'com.example.split');
    expect(split?.sources).toEqual(['com.example.split.yaml', 'com.example.split(extra).yaml']);
    expect(split?.dictionary.keys.map((k) => [k.name, k.type])).toEqual([
      ['Shared', 'string'],
      ['Extra', 'boolean'],
    ]);
    // The secondary file's payload-level OS support travels with its keys.
    expect(split?.dictionary.keys[1]?.os?.iOS?.introduced).toBe('12.0');
  });

  it('marks certificate references with their kind', () => {
    const keys = Object.fromEntries((tree?.dictionary.keys ?? []).map((k) => [k.name, k]));
    expect(keys.IdentityCertificateUUID?.reference).toBe('identity');
    const anchor = keys.PayloadCertificateAnchorUUID?.items;
    expect(anchor && 'reference' in anchor ? anchor.reference : undefined).toBe('certificate');
    expect(types).toContain('IdentityCertificateUUID?: CertificateReference;');
  });

  it('escapes prose that would close the comment or start a TSDoc tag', () => {
    expect(types).toContain('Closes *\\/ a comment and mentions \\@someone.');
  });

  it('documents availability, defaults and <real> typing', () => {
    expect(types).toContain('Availability: iOS 9.3+ (supervised only, one per device)'.replace(', one per device', ''));
    expect(types).toContain('@default "RSA"');
    expect(types).toContain('Written as `<real>` even when integral.');
  });

  it('derives friendly restriction names only for allow… booleans', () => {
    const r = files['src/generated/restrictions.ts'];
    expect(r).toContain('camera: "allowCamera",');
    expect(r).toContain('vpnCreation: "allowVPNCreation",');
    expect(r).toContain('iTunes: "allowiTunes",');
    expect(r).not.toContain('allowedExternal');
    expect(r).not.toContain('ratingApps');
  });

  it('writes the source from upstream.json into the headers', () => {
    expect(types).toContain('https://example.org/schema @ c0ffee');
    expect(types).toContain('Copyright © 2099 Example Inc.');
  });
});

describe('generator refusals', () => {
  it('refuses an unknown value type, naming file and key', () => {
    const dir = fixture({ 'com.example.bad.yaml': TREE.replace('payloadtype: com.example.tree', 'payloadtype: com.example.bad').replace('type: <real>', 'type: <float>') });
    expect(() => generate(dir)).toThrow(SchemaShapeError);
    expect(() => generate(dir)).toThrow(/com\.example\.bad\.yaml at payloadkeys\.Ratio: unknown type "<float>"/);
  });

  it('refuses an unquoted version (10.10 would read as 10.1)', () => {
    const dir = fixture({ 'com.example.split.yaml': SPLIT_PRIMARY.replace("introduced: '10.0'", 'introduced: 10.10') });
    expect(() => generate(dir)).toThrow(/version is not a string: 10\.1/);
  });

  it('refuses a schema without Apple’s licence', () => {
    expect(() => generate(fixture({}, { license: false }))).toThrow(/LICENSE\.txt is missing/);
  });

  it('refuses to guess the commit when there is neither upstream.json nor git metadata', () => {
    expect(() => generate(fixture({}, { upstream: false }))).toThrow(/no upstream\.json and is not a git checkout/);
  });

  it('reads the commit of an upstream git checkout (the --schema <checkout> case)', () => {
    const dir = fixture({}, { upstream: false });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-C', dir, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'Release_iOS-99_macOS-99');
    const source = readSource(dir);
    expect(source.release).toBe('Release_iOS-99_macOS-99');
    expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('finds the YAML either under mdm/profiles or directly in the folder', () => {
    const dir = fixture();
    const flat = join(dir, 'mdm', 'profiles');
    writeFileSync(join(flat, 'LICENSE.txt'), 'Copyright © 2099 Example Inc.\n');
    writeFileSync(join(flat, 'upstream.json'), JSON.stringify({ repository: 'r', commit: 'c', commitDate: 'd', release: 'x' }));
    expect(generate(flat).model.payloads.map((p) => p.payloadType)).toContain('com.example.tree');
    rmSync(join(flat, 'LICENSE.txt'));
  });
});

describe('friendlyName', () => {
  it.each([
    ['allowCamera', 'camera'],
    ['allowAirDrop', 'airDrop'],
    ['allowVPNCreation', 'vpnCreation'],
    ['allowUIConfigurationProfileInstallation', 'uiConfigurationProfileInstallation'],
    ['allowiTunes', 'iTunes'],
    ['allowESIMModification', 'esimModification'],
    ['allowNFC', 'nfc'],
  ])('%s → %s', (key, friendly) => {
    expect(friendlyName(key)).toBe(friendly);
  });
});

describe('the real generated schema', () => {
  it('describes every payload type of the pinned release, and the two special files apart', () => {
    expect(Object.keys(PAYLOAD_SCHEMAS)).toHaveLength(120);
    expect(Object.keys(PAYLOAD_SCHEMAS)).not.toContain('TopLevel');
    expect(TOP_LEVEL_SCHEMA.dictionary.keys.DurationUntilRemoval?.type).toBe('real');
  });

  it('keeps the home screen cycle finite by reference', () => {
    const hs = PAYLOAD_SCHEMAS['com.apple.homescreenlayout'];
    expect(hs?.dictionary.keys.Pages?.items).toEqual({ ref: 'PagesItem' });
    expect(hs?.defs?.items?.PagesItem?.items).toEqual({ ref: 'IconItem' });
  });

  it("spells SCEP's keys with spaces as Apple does", () => {
    const content = PAYLOAD_SCHEMAS['com.apple.security.scep']?.dictionary.keys.PayloadContent?.dictionary;
    expect(content && 'keys' in content ? Object.keys(content.keys) : []).toEqual(
      expect.arrayContaining(['Key Type', 'Key Usage', 'Keysize']),
    );
  });

  it('flags 104 of the restrictions as supervised-only on iOS, as the reference counts', () => {
    const keys = Object.values(PAYLOAD_SCHEMAS['com.apple.applicationaccess']?.dictionary.keys ?? {});
    expect(keys.filter((k) => k.os?.iOS?.supervised === true)).toHaveLength(104);
  });
});

describe('generate CLI', () => {
  const run = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCli(argv, { packageRoot, log: (l) => out.push(l), error: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('--check passes on the committed files and writes nothing', () => {
    const r = run('--check');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('up to date');
  });

  it('--check fails, naming the stale files, against another schema', () => {
    const r = run('--check', '--schema', fixture());
    expect(r.code).toBe(1);
    expect(r.err).toContain('src/generated/payload-types.ts is out of date');
  });

  it('--vendor copies the checkout into schema/, records its commit, then generates', () => {
    const target = tempDir('schoolmdm-pkg-');
    dirs.push(target.cleanup);
    const log: string[] = [];
    const code = runCli(['--schema', fixture(), '--vendor'], {
      packageRoot: target.dir,
      log: (l) => log.push(l),
      error: (l) => log.push(l),
    });
    expect(code).toBe(0);
    expect(readFileSync(join(target.dir, 'schema/mdm/profiles/com.example.tree.yaml'), 'utf8')).toBe(TREE);
    expect(readFileSync(join(target.dir, 'schema/LICENSE.txt'), 'utf8')).toContain('Copyright © 2099 Example Inc.');
    expect(JSON.parse(readFileSync(join(target.dir, 'schema/upstream.json'), 'utf8'))).toMatchObject({ commit: 'c0ffee' });
    expect(readFileSync(join(target.dir, 'src/generated/payload-types.ts'), 'utf8')).toContain('ComExampleTreePayload');
    expect(log.join('\n')).toContain('vendored c0ffee');
  });

  it('rejects unknown arguments and --vendor without --schema', () => {
    expect(run('--frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown argument --frobnicate') });
    expect(run('--vendor')).toMatchObject({ code: 2, err: expect.stringContaining('--vendor needs --schema') });
  });
});

/**
 * Cold import cost of `@schoolmdm/configurator` (issue #16): each sample is a fresh `node`
 * process that imports the built package (`dist/index.mjs`), against a fresh process that
 * imports only its dependency `@schoolmdm/core` (which brings zod). Ratios, medians of
 * interleaved runs; needs the package built (`pnpm bench` builds first).
 *
 * What #16 asked: the plist functions must not load the runtime schema. The package now builds
 * `PAYLOAD_SCHEMAS` on first use and loads asn1js (signed profiles) and node-forge
 * (`pkcs12Identity` verification) on first use; the rows show what an import costs, what
 * `readPlist` + `writePlist` add, and what the first schema use and first signed profile add.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';

const dist = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const coreDist = fileURLToPath(new URL('../../core/dist/index.mjs', import.meta.url));

/** Runs `body` (an async ES module snippet) in a fresh node process and returns its JSON output. */
function child(body: string): Record<string, number | boolean> {
  const script = `
    import { createRequire } from 'node:module';
    const t0 = performance.now();
    ${body}
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    out.asn1jsLoaded = loaded.some((k) => k.includes('asn1js'));
    out.nodeForgeLoaded = loaded.some((k) => k.includes('node-forge'));
    console.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()) as Record<
    string,
    number | boolean
  >;
}

const IMPORT_CORE = `const out = {}; await import(${JSON.stringify(coreDist)}); out.ms = performance.now() - t0;`;
const IMPORT_CFG = `const out = {}; const c = await import(${JSON.stringify(dist)}); out.ms = performance.now() - t0;`;
const PLIST_USE = `${IMPORT_CFG}
  const t1 = performance.now();
  c.writePlist(c.readPlist('<plist><dict><key>a</key><real>2.0</real></dict></plist>'));
  out.useMs = performance.now() - t1;`;
const SCHEMA_USE = `${IMPORT_CFG}
  const t1 = performance.now();
  c.validateProfile({ PayloadType: 'Configuration', PayloadContent: [{ PayloadType: 'com.apple.wifi.managed', SSID_STR: 'x' }] });
  out.useMs = performance.now() - t1;`;

/** What an import cost before #16: everything loaded at once (schema built, asn1js, node-forge). */
const EAGER = `const out = {}; const c = await import(${JSON.stringify(dist)});
  const req = createRequire(${JSON.stringify(dist)});
  req('asn1js'); req('node-forge'); Object.keys(c.PAYLOAD_SCHEMAS);
  out.ms = performance.now() - t0;`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export default async function (): Promise<BenchReport> {
  if (!existsSync(dist) || !existsSync(coreDist)) {
    throw new Error('import bench: build @schoolmdm/core and @schoolmdm/configurator first (pnpm build)');
  }
  const runs = 9;
  const core: number[] = [];
  const cfg: number[] = [];
  const plist: { ms: number; use: number; heavy: boolean }[] = [];
  const schema: number[] = [];
  const eager: number[] = [];
  for (let i = 0; i < runs; i++) {
    const e = child(EAGER);
    if (!e.asn1jsLoaded || !e.nodeForgeLoaded)
      throw new Error('import bench: the eager baseline did not load its parts');
    eager.push(e.ms as number);
    core.push(child(IMPORT_CORE).ms as number);
    cfg.push(child(IMPORT_CFG).ms as number);
    const p = child(PLIST_USE);
    plist.push({ ms: p.ms as number, use: p.useMs as number, heavy: Boolean(p.asn1jsLoaded || p.nodeForgeLoaded) });
    schema.push(child(SCHEMA_USE).useMs as number);
  }
  const coreMs = median(core);
  const cfgMs = median(cfg);
  const rows: BenchRow[] = [
    {
      name: 'cold import(@schoolmdm/configurator) vs import(@schoolmdm/core) alone',
      ratio: cfgMs / coreMs,
      goal: 'informational: what configurator adds to its dependencies',
      metrics: { 'configurator ms (median)': cfgMs, 'core ms (median)': coreMs, 'added ms': cfgMs - coreMs, runs },
    },
    {
      name: 'cold import vs the same import with everything loaded up front (as before #16)',
      ratio: cfgMs / median(eager),
      goal: '< 1: the schema, asn1js and node-forge are paid for on first use only',
      pass: cfgMs < median(eager),
      metrics: { 'eager ms (median)': median(eager), 'lazy ms (median)': cfgMs },
    },
    {
      name: 'import + readPlist + writePlist: loads no schema, asn1js or node-forge',
      pass: plist.every((p) => !p.heavy),
      goal: 'asn1js and node-forge stay unloaded; first plist call costs little',
      metrics: { 'first readPlist+writePlist ms (median)': median(plist.map((p) => p.use)) },
    },
    {
      name: 'first validateProfile: builds the schema on first use',
      metrics: { 'first validateProfile ms (median)': median(schema), 'as share of import': median(schema) / cfgMs },
    },
  ];
  return { id: 'configurator/import', rows };
}

/**
 * Cold import cost of `@schoolmdm/core` (issue #16): every API client imports core for its
 * transport, so core must cost little more than its own dependencies. Each sample is a fresh
 * `node` process that times `await import(...)` of the built package, interleaved with a
 * baseline process that imports only zod and undici (what core cannot do without); the same for
 * the API clients `@schoolmdm/asm` and `@schoolmdm/mosyle` when they are built. Also checks
 * that papaparse is not loaded until a CSV is read.
 *
 * Needs the built package (`pnpm build`, or `pnpm --filter @schoolmdm/core build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchReport, Stats } from '../../../bench/harness.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const DIST_ESM = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const DIST_CJS = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const SAMPLES = 9;
/** The API clients, which pay core's import cost plus their own (issue #16's goal is stated for them). */
const CLIENTS = ['asm', 'mosyle'].map((name) => ({
  name,
  dist: fileURLToPath(new URL(`../../${name}/dist/index.mjs`, import.meta.url)),
}));

function importMs(specifiers: string[]): number {
  const code = `const t = performance.now(); ${specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ')} console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: PKG, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function stats(times: number[]): Stats {
  const s = [...times].sort((a, b) => a - b);
  return {
    samples: s.length,
    medianMs: s[Math.floor(s.length / 2)] as number,
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    p95Ms: s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] as number,
    minMs: s[0] as number,
  };
}

/** Whether papaparse is in the module cache after `require`-ing core, before and after a read. */
function papaparseLoaded(): { onImport: boolean; afterRead: boolean } {
  const code = `const core = require(${JSON.stringify(DIST_CJS)});
const has = () => Object.keys(require.cache).some((k) => k.includes('papaparse'));
const onImport = has();
core.readSerialCsv('Serial\\nDMPXK0AAHP5Q\\n');
console.log(JSON.stringify({ onImport, afterRead: has() }));`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: PKG, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { onImport: boolean; afterRead: boolean };
}

export default async function (): Promise<BenchReport> {
  if (!existsSync(DIST_ESM)) throw new Error('build @schoolmdm/core first (pnpm --filter @schoolmdm/core build)');
  const core: number[] = [];
  const deps: number[] = [];
  const coreAndPapa: number[] = [];
  const clients = CLIENTS.filter((c) => existsSync(c.dist)).map((c) => ({ ...c, times: [] as number[] }));
  for (let i = 0; i < SAMPLES; i++) {
    for (const c of clients) c.times.push(importMs([pathToFileURL(c.dist).href]));
    core.push(importMs([pathToFileURL(DIST_ESM).href]));
    deps.push(importMs(['zod', 'undici']));
    coreAndPapa.push(importMs([pathToFileURL(DIST_ESM).href, 'papaparse']));
  }
  const subject = stats(core);
  const baseline = stats(deps);
  const withPapa = stats(coreAndPapa);
  const loaded = papaparseLoaded();
  const extraMs = subject.medianMs - baseline.medianMs;
  return {
    id: 'core/import',
    rows: [
      {
        name: 'cold import @schoolmdm/core vs zod + undici alone (fresh process each)',
        subject,
        baseline,
        ratio: subject.medianMs / baseline.medianMs,
        goal: '≤ 50 ms more than zod + undici',
        pass: extraMs <= 50,
        metrics: {
          extraMs,
          papaparseLoadedOnImport: String(loaded.onImport),
          papaparseLoadedAfterFirstRead: String(loaded.afterRead),
        },
      },
      {
        name: 'cold import of core + papaparse (what an eager import cost)',
        subject: withPapa,
        baseline: subject,
        ratio: withPapa.medianMs / subject.medianMs,
        metrics: { papaparseMs: withPapa.medianMs - subject.medianMs },
      },
      ...clients.map((c) => {
        const st = stats(c.times);
        const extra = st.medianMs - baseline.medianMs;
        return {
          name: `cold import @schoolmdm/${c.name} vs zod + undici alone (fresh process each)`,
          subject: st,
          baseline,
          ratio: st.medianMs / baseline.medianMs,
          goal: '≤ 50 ms more than zod + undici',
          pass: extra <= 50,
          metrics: { extraMs: extra },
        };
      }),
    ],
  };
}

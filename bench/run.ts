/**
 * `pnpm bench`: runs every `packages/<pkg>/bench/*.bench.ts` and `examples/<program>/bench/*.bench.ts` (or the ones whose path contains
 * one of the CLI arguments), prints a table and writes `bench/results.json`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchReport } from './harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const files: string[] = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const n of names.sort()) if (n.endsWith('.bench.ts')) files.push(join(dir, n));
}
// The program's benches (examples/<program>/bench) report into the same results file.
for (const prog of readdirSync(join(root, 'examples'), { withFileTypes: true })) {
  if (!prog.isDirectory() || prog.name === 'node_modules') continue;
  const dir = join(root, 'examples', prog.name, 'bench');
  if (!existsSync(dir)) continue;
  for (const n of readdirSync(dir).sort()) if (n.endsWith('.bench.ts')) files.push(join(dir, n));
}
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

const reports: BenchReport[] = [];
for (const file of selected) {
  console.log(`\n▶ ${relative(root, file)}`);
  const mod = (await import(pathToFileURL(file).href)) as BenchModule;
  const report = await mod.default();
  reports.push(report);
  console.table(
    report.rows.map((r) => ({
      name: r.name,
      'median ms': r.subject ? +r.subject.medianMs.toFixed(3) : undefined,
      'baseline ms': r.baseline ? +r.baseline.medianMs.toFixed(3) : undefined,
      ratio: r.ratio !== undefined ? +r.ratio.toFixed(3) : undefined,
      goal: r.goal,
      pass: r.pass,
      ...Object.fromEntries(
        Object.entries(r.metrics ?? {}).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(2) : v]),
      ),
    })),
  );
}

// Merge by report id so that running one package's benches updates only its rows.
const resultsPath = join(root, 'bench', 'results.json');
let previous: BenchReport[] = [];
if (existsSync(resultsPath)) {
  try {
    previous = (JSON.parse(readFileSync(resultsPath, 'utf8')) as { reports?: BenchReport[] }).reports ?? [];
  } catch {
    previous = [];
  }
}
const ids = new Set(reports.map((r) => r.id));
const out = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  reports: [...previous.filter((r) => !ids.has(r.id)), ...reports].sort((a, b) => a.id.localeCompare(b.id)),
};
writeFileSync(resultsPath, `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote ${relative(root, resultsPath)} (${reports.length} report(s) updated)`);

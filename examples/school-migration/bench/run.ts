/**
 * Runs the migration benchmark (the root `pnpm bench` scans only `packages/*\/bench`), prints
 * its table and writes `results.json` next to this file.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import bench from './migration.bench.js';

const report = await bench();
console.table(
  report.rows.map((r) => ({
    name: r.name,
    'median ms': r.subject ? +r.subject.medianMs.toFixed(2) : undefined,
    'baseline ms': r.baseline ? +r.baseline.medianMs.toFixed(2) : undefined,
    ratio: r.ratio !== undefined ? +r.ratio.toFixed(2) : undefined,
    pass: r.pass,
    ...r.metrics,
  })),
);
writeFileSync(
  fileURLToPath(new URL('./results.json', import.meta.url)),
  `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model }, ...report }, null, 2)}\n`,
);

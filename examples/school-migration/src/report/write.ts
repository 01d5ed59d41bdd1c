/**
 * Writes the three report files: every device (CSV), the failed ones (CSV), and the HTML page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../model/fleet.js';
import { devicesCsv } from './csv.js';
import { type ReportMeta, reportHtml } from './html.js';

/** Paths of the files written. */
export interface ReportFiles {
  all: string;
  failed: string;
  html: string;
}

/** Writes the report files into `outDir`. */
export function writeReports(
  fleet: Fleet,
  outDir: string,
  meta: Omit<ReportMeta, 'serviceTimeMs' | 'runs'>,
): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const devices = fleet.list();
  const files: ReportFiles = {
    all: join(outDir, 'devices.csv'),
    failed: join(outDir, 'devices-failed.csv'),
    html: join(outDir, 'report.html'),
  };
  writeFileSync(files.all, devicesCsv(devices));
  writeFileSync(files.failed, devicesCsv(devices.filter((d) => d.state === 'failed')));
  writeFileSync(
    files.html,
    reportHtml(devices, fleet.counts(), { ...meta, serviceTimeMs: fleet.serviceTimeMs, runs: fleet.runs }),
  );
  return files;
}

/**
 * Plist benchmarks for `@schoolmdm/configurator`.
 *
 * - `writePlist` on three models (a one-payload Wi-Fi profile, a typical school profile with
 *   MDM/SCEP/restrictions/web clip, and a 200-payload stress model) vs Python
 *   `plistlib.dumps` of the *same* model. Python runs in its own process under `timeit`
 *   (best of 5 repeats), so the comparison crosses runtimes: it says whether our writer is in
 *   the same league as the reference implementation, not which language is faster.
 * - `readPlist` of our XML and of the binary plist plistlib writes for the same model.
 */
import { type BenchReport, measure } from '../../../bench/harness.js';
import { peers } from '../../../test/support/peers.js';
import { type PlistValue, readPlist, writePlist } from '../src/plist/index.js';
import { pythonDumps, pythonDumpsSecondsPerOp, tag } from '../test/fixtures/tagged.js';
import { bigProfile, schoolProfile, wifiProfile } from './models.js';

export default async function (): Promise<BenchReport> {
  const rows: BenchReport['rows'] = [];
  const models: [string, PlistValue, number][] = [
    ['Wi-Fi profile (1 payload)', wifiProfile, 4000],
    ['school profile (Wi-Fi+SCEP+MDM+restrictions+web clip)', schoolProfile, 1000],
    ['200-payload profile', bigProfile, 60],
  ];
  for (const [name, model, iterations] of models) {
    const xml = writePlist(model);
    const ours = await measure(() => writePlist(model), { iterations, warmup: Math.ceil(iterations / 10) });
    const row: BenchReport['rows'][number] = {
      name: `writePlist: ${name}`,
      subject: ours,
      metrics: { xmlBytes: Buffer.byteLength(xml), 'MB/s': Buffer.byteLength(xml) / 1e6 / (ours.medianMs / 1000) },
    };
    if (peers.python3) {
      // Sanity: plistlib writes the same bytes for models without CR in strings.
      const [py] = pythonDumps([{ fmt: 'xml', value: tag(model) }]);
      if (py!.toString('utf8') !== xml) throw new Error(`plist benchmark: ${name}: output differs from plistlib`);
      const pythonMs = pythonDumpsSecondsPerOp(tag(model), Math.max(20, Math.floor(iterations / 2))) * 1000;
      row.ratio = ours.medianMs / pythonMs;
      row.goal = 'per op ≤ Python plistlib.dumps (cross-runtime, informational)';
      row.pass = row.ratio <= 1;
      row.metrics = { ...row.metrics, 'plistlib ms': pythonMs, 'plistlib/ours': pythonMs / ours.medianMs };
    }
    rows.push(row);
  }

  const schoolXml = writePlist(schoolProfile);
  const readXml = await measure(() => readPlist(schoolXml), { iterations: 1000, warmup: 100 });
  rows.push({
    name: 'readPlist: school profile, XML',
    subject: readXml,
    metrics: { 'MB/s': Buffer.byteLength(schoolXml) / 1e6 / (readXml.medianMs / 1000) },
  });
  if (peers.python3) {
    const [bin] = pythonDumps([{ fmt: 'binary', value: tag(schoolProfile) }]);
    const readBin = await measure(() => readPlist(bin!), { iterations: 1000, warmup: 100 });
    rows.push({
      name: 'readPlist: school profile, binary (written by plistlib)',
      subject: readBin,
      metrics: { bytes: bin!.length },
    });
  }
  return { id: 'configurator/plist', rows };
}

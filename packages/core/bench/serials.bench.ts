/**
 * Serial-number CSV reader benchmarks (issue #3).
 *
 * - 100,000-row Jamf-style export: `readSerialCsv` (parse + validate + dedupe + rows) against a
 *   raw `Papa.parse` of the same text in the same run; goal ≤ 1.5×.
 * - The same export as bytes with a BOM (decoding included) against TextDecoder + Papa.parse.
 * - 1,000,000 rows through `readSerialCsvStream` from a generated source: rows/s and heap
 *   (peak while streaming, retained by the result), to show the source is never held.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import Papa from 'papaparse';
import { type BenchReport, type BenchRow, compare, linearScaling, measure } from '../../../bench/harness.js';
import { parsePem } from '../src/encoding/pem.js';
import { normalizeHeaderLabel, readSerialCsv, readSerialCsvStream, SerialCsvError } from '../src/serials/index.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function serialAt(i: number): string {
  let n = i * 7919 + 104_729;
  let s = '';
  for (let k = 0; k < 9; k++) {
    s = ALPHABET[n % 34] + s;
    n = Math.floor(n / 34);
  }
  return `DM${s}Q`;
}

const HEADER = 'Mobile Device Name,Serial Number,UDID,Model,iOS Version,Asset Tag,Username,Last Inventory Update';

function row(i: number): string {
  // One name in 20 holds a comma and is quoted, as Jamf writes "iPad, 3B-07".
  const name = i % 20 === 0 ? `"iPad, ${3 + (i % 4)}B-${i % 100}"` : `iPad-${3 + (i % 4)}B-${i % 100}`;
  const udid = `00008020-${i.toString(16).toUpperCase().padStart(16, '0')}`;
  return `${name},${serialAt(i)},${udid},iPad (9th generation),17.5.1,LYC-${i},${i % 3 === 0 ? '' : `eleve${i}`},2024-05-02 10:11:12`;
}

function jamfExport(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  return `${lines.join('\r\n')}\r\n`;
}

/** `global.gc` without a CLI flag, so heap figures are measured after a collection. */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

const MB = 1024 * 1024;

export default async function (): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const N = 100_000;
  const text = jamfExport(N);
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);

  {
    // Scoped so that this 100k-row result is garbage before timing starts: a live result would
    // make every major GC during the comparison re-mark it.
    const check = readSerialCsv(text);
    if (check.serials.length !== N || check.issues.length !== 0) throw new Error('bench fixture did not read cleanly');
  }
  const gc = gcFunction();
  gc();

  const text100k = await compare(
    () => readSerialCsv(text),
    () => Papa.parse(text),
    { iterations: 15, warmup: 3 },
  );
  // The same pair measured one after the other instead of interleaved: interleaving makes each
  // side collect the other's garbage, which favours the side that allocates less.
  gc();
  const alone = await measure(() => readSerialCsv(text), { iterations: 10, warmup: 2 });
  gc();
  const papaAlone = await measure(() => Papa.parse(text), { iterations: 10, warmup: 2 });
  gc();
  rows.push({
    name: 'readSerialCsv 100k-row Jamf export (string) vs Papa.parse',
    subject: text100k.subject,
    baseline: text100k.baseline,
    ratio: text100k.ratio,
    goal: '≤ 1.5× raw papaparse',
    pass: text100k.ratio <= 1.5,
    metrics: {
      'rows/s': Math.round(N / (text100k.subject.medianMs / 1000)),
      'papaparse rows/s': Math.round(N / (text100k.baseline.medianMs / 1000)),
      'MiB of CSV': +(text.length / MB).toFixed(1),
      'ratio, measured sequentially': +(alone.medianMs / papaAlone.medianMs).toFixed(3),
    },
  });

  const noRows = await compare(
    () => readSerialCsv(text, { collectRows: false }),
    () => Papa.parse(text),
    { iterations: 15, warmup: 3 },
  );
  rows.push({
    name: 'readSerialCsv 100k, collectRows: false vs Papa.parse',
    subject: noRows.subject,
    baseline: noRows.baseline,
    ratio: noRows.ratio,
    goal: '≤ 1.5× raw papaparse',
    pass: noRows.ratio <= 1.5,
    metrics: { 'rows/s': Math.round(N / (noRows.subject.medianMs / 1000)) },
  });

  const decoder = new TextDecoder();
  const bytes100k = await compare(
    () => readSerialCsv(bytes),
    () => Papa.parse(decoder.decode(bytes)),
    { iterations: 15, warmup: 3 },
  );
  rows.push({
    name: 'readSerialCsv 100k (UTF-8 bytes + BOM) vs TextDecoder + Papa.parse',
    subject: bytes100k.subject,
    baseline: bytes100k.baseline,
    ratio: bytes100k.ratio,
    goal: '≤ 1.5× raw papaparse',
    pass: bytes100k.ratio <= 1.5,
    metrics: { 'rows/s': Math.round(N / (bytes100k.subject.medianMs / 1000)) },
  });

  // 1,000,000 rows, streamed from a generator: the source text never exists in full.
  const M = 1_000_000;
  const encoder = new TextEncoder();
  let peak = 0;
  async function* source(sampleHeap: boolean): AsyncGenerator<Uint8Array> {
    yield encoder.encode(`\ufeff${HEADER}\r\n`);
    let batch: string[] = [];
    for (let i = 0; i < M; i++) {
      batch.push(row(i));
      if (batch.length === 2000) {
        // Live heap (after a full GC) every 100,000 rows, in the memory run only.
        if (sampleHeap && i % 100_000 === 99_999) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
        yield encoder.encode(`${batch.join('\r\n')}\r\n`);
        batch = [];
      }
    }
    if (batch.length) yield encoder.encode(`${batch.join('\r\n')}\r\n`);
  }
  const sourceMiB = (text.length / N) * (M / MB);
  for (const collectRows of [false, true]) {
    const t0 = performance.now();
    const timed = await readSerialCsvStream(source(false), { collectRows });
    const ms = performance.now() - t0;
    if (timed.serials.length !== M) throw new Error('1M stream did not read cleanly');

    gc();
    const before = process.memoryUsage().heapUsed;
    peak = before;
    const result = await readSerialCsvStream(source(true), { collectRows });
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    rows.push({
      name: `readSerialCsvStream 1,000,000 rows, collectRows: ${collectRows}`,
      metrics: {
        'total ms': Math.round(ms),
        'rows/s (incl. generating the source)': Math.round(M / (ms / 1000)),
        'source MiB (never held)': Math.round(sourceMiB),
        'live heap peak Δ MiB': +((peak - before) / MB).toFixed(1),
        'heap retained by result MiB': +(retained / MB).toFixed(1),
        serials: result.serials.length,
      },
    });
  }
  rows.push(
    linearScaling(
      'normalizeHeaderLabel: one upper-case cell (was /([A-Z]+)([A-Z][a-z])/g, 1 MB > 2 min)',
      (n) => 'A'.repeat(n - 1) + 'b',
      (t) => normalizeHeaderLabel(t),
    ),
    linearScaling(
      'readSerialCsv: header cell of upper-case letters',
      (n) => `${'A'.repeat(n)}b,Serial\nDMPXK0AAHP5Q,x\n`,
      (t) => readOrRefuse(t),
    ),
    linearScaling(
      'parsePem: BEGIN lines without END (was 11.4 s at 1 MB)',
      (n) => '-----BEGIN CERTIFICATE-----\n'.repeat(Math.ceil(n / 28)),
      (t) => parsePem(t),
    ),
    linearScaling(
      'parsePem: distinct BEGIN labels without END',
      (n) => Array.from({ length: Math.ceil(n / 24) }, (_, i) => `-----BEGIN K${i}-----\n`).join(''),
      (t) => parsePem(t),
    ),
  );
  return { id: 'core/serials', rows };
}

/** Reads, or gets the typed refusal (a record over 1 MiB is refused as not a device export). */
function readOrRefuse(text: string): unknown {
  try {
    return readSerialCsv(text, { collectRows: false });
  } catch (err) {
    if (err instanceof SerialCsvError) return err;
    throw err;
  }
}

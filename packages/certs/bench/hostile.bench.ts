/**
 * Adversarial shapes from 1 KB to 10 MB through certs' file readers (issue #15, item 13): the
 * push-request plist reader on repeated `<!--`, `<plist` and unclosed elements (1 MB took 13–85 s
 * before), and PEM input of BEGIN lines without END (11.4 s at 1 MB). Each row's ratio is the
 * per-byte cost at 10 MB over that at 100 KB: about 1 when linear, about 100 when quadratic.
 */
import { performance } from 'node:perf_hooks';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';
import { inspectCertificate, MalformedInputError, verifyPushCertificateRequest } from '../src/index.js';

/** Runs `read`, accepting its typed refusal (these inputs are all malformed). */
function refused(read: () => unknown): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof MalformedInputError)) throw err;
  }
}

function scaling(name: string, make: (bytes: number) => string, run: (input: string) => void): BenchRow {
  const sizes = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];
  const perKb: Record<string, number> = {};
  for (const size of sizes) {
    const input = make(size);
    const reps = size <= 100_000 ? 20 : size <= 1_000_000 ? 3 : 1;
    run(input);
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run(input);
    const ms = (performance.now() - t0) / reps;
    perKb[`µs/KB @${size >= 1_000_000 ? `${size / 1_000_000}MB` : `${size / 1_000}KB`}`] =
      (ms * 1000) / (input.length / 1000);
  }
  const ratio = (perKb['µs/KB @10MB'] as number) / (perKb['µs/KB @100KB'] as number);
  return { name, ratio, goal: 'per-byte cost at 10 MB ≤ 3× that at 100 KB (linear)', pass: ratio <= 3, metrics: perKb };
}

const repeat = (unit: string) => (n: number) => unit.repeat(Math.ceil(n / unit.length));
const plist = (body: (n: number) => string) => (n: number) => `<plist version="1.0"><dict>${body(n)}`;

export default async function (): Promise<BenchReport> {
  const push = (t: string) => refused(() => verifyPushCertificateRequest(t));
  return {
    id: 'certs/hostile',
    rows: [
      scaling('push request: repeated <!-- without -->', repeat('<!--'), push),
      scaling('push request: repeated <plist without >', repeat('<plist'), push),
      scaling('push request: unclosed elements', plist(repeat('<key>k</key><x>')), push),
      scaling('push request: unclosed <key>', plist(repeat('<key>')), push),
      scaling('inspectCertificate: BEGIN lines without END', repeat('-----BEGIN CERTIFICATE-----\n'), (t) =>
        refused(() => inspectCertificate(t)),
      ),
    ],
  };
}

/**
 * Adversarial shapes for the plist reader and the validator, 1 KB → 10 MB (issue #15 items 12,
 * 13): each must give a result or a PlistError in time linear in the input. The figure that
 * matters is the ratio of time per MB at 10 MB to time per MB at 1 MB (≈ 1 when linear; a
 * quadratic path would show ≈ 10).
 */
import { type BenchReport, type BenchRow, measure } from '../../../bench/harness.js';
import { readPlist, validateProfile } from '../src/index.js';

const SHAPES: [string, (n: number) => string][] = [
  ['repeated "<!--" (unterminated comments)', (n) => `<plist>${'<!--'.repeat(n / 4)}`],
  ['repeated "<plist"', (n) => '<plist'.repeat(n / 6)],
  ['unclosed <array>', (n) => '<array>'.repeat(n / 7)],
  ['unclosed <string> after many entities', (n) => `<plist><string>${'&amp;'.repeat(n / 5)}`],
  ['a long <integer> under Password', (n) => `<dict><key>Password</key><integer>${'9'.repeat(n)}x</integer></dict>`],
  ['many <!-- --> comments inside a string', (n) => `<string>${'<!--x-->'.repeat(n / 8)}</string>`],
  ['a wide dictionary with duplicate keys', (n) => `<dict>${'<key>k</key><true/>'.repeat(n / 19)}</dict>`],
];

function perMb(build: (n: number) => string, bytes: number, iterations: number): Promise<number> {
  const input = build(bytes);
  return measure(
    () => {
      try {
        const v = readPlist(input, { maxDepth: 2048 });
        validateProfile(v);
      } catch {
        // a PlistError is a fine outcome; the time is what is measured
      }
    },
    { iterations, warmup: 1 },
  ).then((s) => s.medianMs / (input.length / 1e6));
}

export default async function (): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  for (const [name, build] of SHAPES) {
    const small = await perMb(build, 1_000_000, 7);
    const large = await perMb(build, 10_000_000, 3);
    const tiny = await perMb(build, 1_000, 200);
    rows.push({
      name: `readPlist+validateProfile: ${name}`,
      ratio: large / small,
      goal: 'ms/MB at 10 MB ÷ ms/MB at 1 MB ≤ 3 (linear)',
      pass: large / small <= 3,
      metrics: { 'ms/MB at 1 KB': tiny, 'ms/MB at 1 MB': small, 'ms/MB at 10 MB': large },
    });
  }
  return { id: 'configurator/plist-hostile', rows };
}

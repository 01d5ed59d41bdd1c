/**
 * Tiny benchmark harness shared by every package's `bench/*.bench.ts`.
 *
 * Rules (see the handbook): numbers are reported as ratios against a baseline measured
 * in the same process and the same run, never as absolute timed assertions in tests.
 */
import { performance } from 'node:perf_hooks';

/** Summary statistics of one measured function, in milliseconds per iteration. */
export interface Stats {
  samples: number;
  medianMs: number;
  meanMs: number;
  p95Ms: number;
  minMs: number;
}

/** One row a bench file reports; `ratio` is `subject / baseline` where a baseline exists. */
export interface BenchRow {
  name: string;
  subject?: Stats;
  baseline?: Stats;
  ratio?: number;
  goal?: string;
  pass?: boolean;
  /** Any other measured figure (rows/s, req/s, bytes…). */
  metrics?: Record<string, number | string>;
}

/** What a bench module's default export returns. */
export interface BenchReport {
  id: string;
  rows: BenchRow[];
}

export type BenchModule = { default: () => Promise<BenchReport> };

function summarize(times: number[]): Stats {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return {
    samples: s.length,
    medianMs: at(0.5),
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    p95Ms: at(0.95),
    minMs: s[0] ?? Number.NaN,
  };
}

/** Times `fn` `iterations` times after `warmup` untimed runs. */
export async function measure(
  fn: () => unknown | Promise<unknown>,
  { iterations = 50, warmup = 5 }: { iterations?: number; warmup?: number } = {},
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

/**
 * Measures subject and baseline interleaved (A, B, A, B…) so that drift in machine load
 * hits both equally, then reports `ratio = median(subject) / median(baseline)`.
 */
export async function compare(
  subject: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  { iterations = 50, warmup = 5 }: { iterations?: number; warmup?: number } = {},
): Promise<{ subject: Stats; baseline: Stats; ratio: number }> {
  for (let i = 0; i < warmup; i++) {
    await subject();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let t0 = performance.now();
    await subject();
    a.push(performance.now() - t0);
    t0 = performance.now();
    await baseline();
    b.push(performance.now() - t0);
  }
  const sa = summarize(a);
  const sb = summarize(b);
  return { subject: sa, baseline: sb, ratio: sa.medianMs / sb.medianMs };
}

/**
 * Time of `run` on adversarial inputs of 1 KB to 10 MB built by `make(bytes)`. Linear code has a
 * constant cost per byte: the row's ratio is (µs per KB at 10 MB) / (µs per KB at 100 KB), about
 * 1 when linear and about 100 when quadratic (issue #15, "Hostile input").
 */
export function linearScaling(
  name: string,
  make: (bytes: number) => string,
  run: (input: string) => unknown,
): BenchRow {
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

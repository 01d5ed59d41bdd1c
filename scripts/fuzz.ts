/**
 * `pnpm fuzz`: runs every fuzz target of the repository (issue #15, "Hostile input").
 *
 * Discovery: each `packages/<pkg>/fuzz/*.fuzz.ts` exports `targets: FuzzTarget[]`. A target
 * names a parser entry point (`run`), how to generate inputs (`arbitrary`: random bytes,
 * mutations of openssl-made files, grammar-built text) and which errors are fine
 * (`expected`: the package's typed errors). Anything else is a failure: an unexpected
 * exception (`TypeError`, `RangeError`, a stack overflow), a worker crash (out of memory), or
 * a case that runs longer than the per-case time limit.
 *
 * Each target runs in a worker thread. The worker publishes the index and start time of the
 * case it is running in shared memory and posts its input before running it; the main thread
 * is a watchdog: when a case exceeds `--timeout`, it terminates the worker (a synchronous hang
 * cannot be interrupted any other way), saves that input, and starts a fresh worker at the next
 * case. Inputs are generated in batches from `seed + batch`, so a run is reproducible.
 *
 * Failing inputs are saved under `fuzz-failures/<target>/<sha256>.bin` (raw input) with a
 * `.json` beside it (target, seed, case index, error), and the run exits 1.
 *
 * Usage: `pnpm fuzz [--runs 100000] [--timeout 2000] [--seed 42] [--target certs.] [--batch 500]`
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import type { FuzzTarget } from './fuzz-inputs.js';

interface Options {
  runs: number;
  timeoutMs: number;
  seed: number;
  batch: number;
  filter: string | undefined;
  maxMemoryMb: number;
}

interface WorkerInput {
  file: string;
  target: string;
  seed: number;
  runs: number;
  batch: number;
  start: number;
  /** Int32Array view: [0] current case index (-1 idle), [1] done flag. Float64Array view: [1] start time. */
  shared: SharedArrayBuffer;
}

type WorkerMessage =
  | { kind: 'case'; index: number; input: Uint8Array | string }
  | { kind: 'failure'; index: number; error: string; input: Uint8Array | string }
  | { kind: 'progress'; done: number; ok: number; expected: number; slowestMs: number }
  | { kind: 'finished'; done: number; ok: number; expected: number; slowestMs: number };

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FAILURES = join(ROOT, 'fuzz-failures');
const TSX_API = import.meta.resolve('tsx/esm/api');

/** The inputs of one batch: deterministic in (seed, batch). */
function batchInputs(target: FuzzTarget, seed: number, batch: number, size: number): Array<Uint8Array | string> {
  return fc.sample(target.arbitrary, { seed: (seed + batch * 7919) | 0, numRuns: size });
}

function describeError(err: unknown): string {
  if (err instanceof Error)
    return `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  return String(err);
}

async function loadTargets(file: string): Promise<FuzzTarget[]> {
  const mod = (await import(pathToFileURL(file).href)) as { targets?: unknown };
  if (!Array.isArray(mod.targets)) throw new Error(`${relative(ROOT, file)} does not export "targets: FuzzTarget[]"`);
  return mod.targets as FuzzTarget[];
}

// ---------------------------------------------------------------------------------------------
// Worker: runs cases [start, runs) of one target, publishing the current case for the watchdog.
// ---------------------------------------------------------------------------------------------
async function workerMain(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const target = (await loadTargets(input.file)).find((t) => t.name === input.target);
  if (!target) throw new Error(`target ${input.target} not found in ${input.file}`);
  const ints = new Int32Array(input.shared, 0, 2);
  const times = new Float64Array(input.shared, 8, 1);
  let ok = 0;
  let expected = 0;
  let slowestMs = 0;
  let done = input.start;
  let lastReport = Date.now();
  for (let batch = Math.floor(input.start / input.batch); batch * input.batch < input.runs; batch++) {
    const inputs = batchInputs(target, input.seed, batch, input.batch);
    for (let i = 0; i < inputs.length; i++) {
      const index = batch * input.batch + i;
      if (index < input.start) continue;
      if (index >= input.runs) break;
      const value = inputs[i] as Uint8Array | string;
      // The input goes to the watchdog before the case runs: if it hangs or kills the worker,
      // the main thread still has it (seeds made by openssl differ between processes, so it
      // could not always be regenerated).
      port.postMessage({ kind: 'case', index, input: value } satisfies WorkerMessage);
      times[0] = Date.now();
      Atomics.store(ints, 0, index);
      const t0 = performance.now();
      try {
        await target.run(value);
        ok++;
      } catch (err) {
        let fine = false;
        try {
          fine = target.expected(err) === true;
        } catch {
          fine = false;
        }
        if (fine) expected++;
        else
          port.postMessage({ kind: 'failure', index, error: describeError(err), input: value } satisfies WorkerMessage);
      }
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      done = index + 1;
      if (Date.now() - lastReport > 1000) {
        lastReport = Date.now();
        port.postMessage({ kind: 'progress', done, ok, expected, slowestMs } satisfies WorkerMessage);
      }
    }
  }
  Atomics.store(ints, 0, -1);
  Atomics.store(ints, 1, 1);
  port.postMessage({ kind: 'finished', done, ok, expected, slowestMs } satisfies WorkerMessage);
}

// ---------------------------------------------------------------------------------------------
// Main thread: discovery, one watched worker per target, failure files, summary.
// ---------------------------------------------------------------------------------------------
function parseArgs(argv: readonly string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const num = (name: string, fallback: number, min: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${raw}`);
    return n;
  };
  return {
    runs: num('runs', 100_000, 1),
    timeoutMs: num('timeout', 2_000, 10),
    seed: num('seed', 42, 0),
    batch: num('batch', 500, 1),
    filter: get('target'),
    maxMemoryMb: num('max-memory', 1_024, 64),
  };
}

function discover(): string[] {
  const packages = join(ROOT, 'packages');
  const files: string[] = [];
  for (const pkg of readdirSync(packages).sort()) {
    const dir = join(packages, pkg, 'fuzz');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.fuzz.ts')) files.push(join(dir, f));
  }
  return files;
}

function saveFailure(
  target: FuzzTarget,
  options: Options,
  index: number,
  input: Uint8Array | string,
  error: string,
): string {
  // Targets produce strings or bytes by contract; anything else is saved as its JSON.
  const bytes =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : input instanceof Uint8Array
        ? Buffer.from(input)
        : Buffer.from(JSON.stringify(input) ?? String(input), 'utf8');
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = join(FAILURES, target.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const base = join(dir, hash);
  writeFileSync(`${base}.bin`, bytes);
  writeFileSync(
    `${base}.json`,
    `${JSON.stringify(
      {
        target: target.name,
        seed: options.seed,
        batch: options.batch,
        index,
        inputType: typeof input === 'string' ? 'string (UTF-8 in .bin)' : 'bytes',
        error,
        replay: `fc.sample(target.arbitrary, { seed: ${(options.seed + Math.floor(index / options.batch) * 7919) | 0}, numRuns: ${options.batch} })[${index % options.batch}]`,
      },
      null,
      2,
    )}\n`,
  );
  return relative(ROOT, `${base}.bin`);
}

interface TargetSummary {
  name: string;
  cases: number;
  ok: number;
  expected: number;
  failures: number;
  timeouts: number;
  slowestMs: number;
  seconds: number;
}

/** Runs one target to the end, restarting its worker after a hang or a crash. */
async function runTarget(file: string, target: FuzzTarget, options: Options): Promise<TargetSummary> {
  const summary: TargetSummary = {
    name: target.name,
    cases: 0,
    ok: 0,
    expected: 0,
    failures: 0,
    timeouts: 0,
    slowestMs: 0,
    seconds: 0,
  };
  const started = Date.now();
  let start = 0;
  const seen = new Set<string>();
  const fail = (index: number, input: Uint8Array | string, error: string) => {
    summary.failures++;
    const path = saveFailure(target, options, index, input, error);
    const first = error.split('\n')[0];
    if (!seen.has(first ?? '')) {
      seen.add(first ?? '');
      console.log(`  ✗ case ${index}: ${first}\n    saved ${path}`);
    }
  };
  while (start < options.runs) {
    const shared = new SharedArrayBuffer(16);
    const ints = new Int32Array(shared, 0, 2);
    const times = new Float64Array(shared, 8, 1);
    Atomics.store(ints, 0, -1);
    // Workers do not get tsx's loader from the command line (Node 20 loads a worker's entry
    // before `--import` hooks apply), so a small bootstrap registers tsx's ESM hooks, then
    // imports this file, which runs `workerMain`.
    const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: {
        file,
        target: target.name,
        seed: options.seed,
        runs: options.runs,
        batch: options.batch,
        start,
        shared,
      } satisfies WorkerInput,
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
    });
    let counted = { done: start, ok: 0, expected: 0, slowestMs: 0 };
    let current: { index: number; input: Uint8Array | string } | undefined;
    const outcome = await new Promise<{ kind: 'finished' } | { kind: 'hang' | 'crash'; index: number; error: string }>(
      (resolveOutcome) => {
        let settled = false;
        const settle = (o: { kind: 'finished' } | { kind: 'hang' | 'crash'; index: number; error: string }) => {
          if (settled) return;
          settled = true;
          clearInterval(watchdog);
          resolveOutcome(o);
        };
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'case') current = { index: m.index, input: m.input };
          else if (m.kind === 'failure') fail(m.index, m.input, m.error);
          else {
            counted = { done: m.done, ok: m.ok, expected: m.expected, slowestMs: m.slowestMs };
            if (m.kind === 'finished') settle({ kind: 'finished' });
          }
        });
        worker.on('error', (err) => settle({ kind: 'crash', index: Atomics.load(ints, 0), error: describeError(err) }));
        worker.on('exit', (code) => {
          if (Atomics.load(ints, 1) !== 1)
            settle({ kind: 'crash', index: Atomics.load(ints, 0), error: `worker exited with code ${code}` });
        });
        const watchdog = setInterval(
          () => {
            const index = Atomics.load(ints, 0);
            if (index >= 0 && Date.now() - (times[0] as number) > options.timeoutMs) {
              settle({ kind: 'hang', index, error: `no result after ${options.timeoutMs} ms (per-case time limit)` });
            }
          },
          Math.min(100, options.timeoutMs / 4),
        );
      },
    );
    await worker.terminate();
    summary.ok += counted.ok;
    summary.expected += counted.expected;
    summary.slowestMs = Math.max(summary.slowestMs, counted.slowestMs);
    if (outcome.kind === 'finished') {
      start = options.runs;
      break;
    }
    // Regenerate the input of the case that hung or crashed (same seed and batch), save it, and
    // go on with the next case in a fresh worker.
    if (outcome.kind === 'crash' && outcome.index < 0 && current === undefined) {
      throw new Error(`the worker for ${target.name} failed before running any case: ${outcome.error}`);
    }
    const index = outcome.index >= 0 ? outcome.index : counted.done;
    const input =
      current?.index === index
        ? current.input
        : batchInputs(target, options.seed, Math.floor(index / options.batch), options.batch)[index % options.batch];
    if (outcome.kind === 'hang') summary.timeouts++;
    if (input !== undefined) fail(index, input, `${outcome.kind}: ${outcome.error}`);
    // The cases between the last progress report and the hang ran fine or failed (reported).
    summary.ok += Math.max(0, index - counted.done);
    start = index + 1;
  }
  summary.cases = options.runs;
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const files = discover();
  if (files.length === 0) throw new Error('no packages/*/fuzz/*.fuzz.ts file found');
  const summaries: TargetSummary[] = [];
  for (const file of files) {
    const targets = (await loadTargets(file)).filter((t) => !options.filter || t.name.includes(options.filter));
    for (const target of targets) {
      console.log(`${target.name} (${relative(ROOT, file)}): ${options.runs} cases, ${options.timeoutMs} ms per case`);
      const s = await runTarget(file, target, options);
      summaries.push(s);
      console.log(
        `  ${s.failures === 0 ? '✓' : '✗'} ${s.ok} ok, ${s.expected} typed errors, ${s.failures} failures (${s.timeouts} over the time limit); slowest case ${s.slowestMs.toFixed(1)} ms; ${s.seconds.toFixed(1)} s`,
      );
    }
  }
  const failed = summaries.filter((s) => s.failures > 0);
  console.log(
    `\n${summaries.length} targets, ${summaries.reduce((n, s) => n + s.cases, 0)} cases: ${failed.length === 0 ? 'no failures' : `failures in ${failed.map((s) => s.name).join(', ')} (inputs in fuzz-failures/)`}`,
  );
  if (summaries.length === 0) throw new Error(`no target matches --target ${options.filter}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  });
} else {
  workerMain(workerData as WorkerInput).catch((err: unknown) => {
    throw err;
  });
}

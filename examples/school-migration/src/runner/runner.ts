/**
 * The run: replay the journal, add new devices from the plan, reconcile with the services
 * (reads only), then do each step in the school's order for the devices that need it, each step
 * in bulk. Every move is journaled (fsynced) as it happens, so a run can stop anywhere
 * (Ctrl-C, SIGKILL, a power cut) and the next one picks up where it stood.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { LoadedConfig } from '../config/load.js';
import { Journal } from '../journal/journal.js';
import type { JournalLine } from '../journal/records.js';
import type { ManualInputs } from '../manual/executors.js';
import { type Device, Fleet } from '../model/fleet.js';
import { type DeviceState, type FlowState, flowIndex } from '../model/states.js';
import type { Plan } from '../plan/plan.js';
import type { Ports } from '../ports/types.js';
import { chooseExecutors, type Executors } from '../steps/registry.js';
import { describeError } from '../steps/retry.js';
import { STEPS, type StepContext, type StepName } from '../steps/types.js';
import { reconcile } from './reconcile.js';
import { createRecorder } from './recorder.js';

/** Options of {@link runMigration}. */
export interface RunOptions {
  /** Work on at most this many devices (a canary batch), in plan order. */
  limit?: number;
  /** Retry only the failed devices, from where each stopped. */
  onlyFailed?: boolean;
  /** Stop once devices reach this state. */
  until?: FlowState;
  /** Executors replacing the chosen ones (a station, a worksheet). */
  executors?: Partial<Executors>;
  /** Console exports verifying a person's steps, and the environment the credentials are read from. */
  manual?: ManualInputs & { env?: NodeJS.ProcessEnv };
  /** Progress per step. */
  onProgress?: (step: StepName, done: number, total: number) => void;
  /** Start of a step. */
  onStep?: (step: StepName, who: string, devices: number) => void;
}

/** What a run did. */
export interface RunSummary {
  run: string;
  counts: Record<DeviceState, number>;
  /** Devices moved forward by the reconcile reads. */
  reconciled: number;
  notes: string[];
  calls: Record<string, number>;
  /** Time the services needed under their limits (simulated in `simulate` mode). */
  serviceTimeMs: number;
  realTimeMs: number;
  executors: Record<StepName, string>;
}

/** Adds plan devices missing from the journal (and updates changed groups or names). */
export function syncPlan(plan: Plan, fleet: Fleet, now: number): JournalLine[] {
  const at = new Date(now).toISOString();
  const lines: JournalLine[] = [];
  for (const p of plan.devices) {
    const d = fleet.devices.get(p.serial);
    if (!d || d.group !== p.group || d.name !== p.name) {
      lines.push({ t: 'device', at, serial: p.serial, group: p.group, name: p.name });
    }
  }
  return lines;
}

/** Runs the move. */
export async function runMigration(
  env: { config: LoadedConfig; ports: Ports; clock: Clock; plan: Plan; outDir: string },
  options: RunOptions = {},
): Promise<RunSummary> {
  const started = Date.now();
  const serviceStart = env.clock.now();
  const { journal, lines } = Journal.open(env.config.path(env.config.data.journal));
  try {
    const fleet = Fleet.replay(lines);
    const record = createRecorder(journal, fleet, () => env.clock.now());
    const run = randomUUID();
    record.write(syncPlan(env.plan, fleet, env.clock.now()));
    const runOptions: Record<string, string | number | boolean> = {};
    if (options.limit !== undefined) runOptions.limit = options.limit;
    if (options.onlyFailed) runOptions.onlyFailed = true;
    if (options.until) runOptions.until = options.until;
    record.write([{ t: 'run', at: new Date(env.clock.now()).toISOString(), event: 'start', run, options: runOptions }]);

    const planned = new Set(env.plan.devices.map((d) => d.serial));
    let selected = fleet.list().filter((d) => planned.has(d.serial));
    if (options.onlyFailed) {
      selected = selected.filter((d) => d.state === 'failed');
      record.move(
        selected.map((d) => ({ serial: d.serial, to: d.at, by: 'program', reason: 'retry (--only failed)' })),
      );
    } else {
      selected = selected.filter((d) => d.state !== 'failed' && d.state !== 'skipped' && d.state !== 'done');
    }
    if (options.limit !== undefined) selected = selected.slice(0, Math.max(0, options.limit));
    const chosen = new Set(selected.map((d) => d.serial));

    const notes: string[] = [];
    const { executors, mosyleAccess } = await chooseExecutors(env.config, env.ports, options.executors, options.manual);
    if (mosyleAccess && mosyleAccess.status !== 'ok') notes.push(`Mosyle API: ${mosyleAccess.message}`);
    let currentStep: StepName = 'request-release';
    const ctx: StepContext = {
      config: env.config,
      ports: env.ports,
      fleet,
      record,
      clock: env.clock,
      outDir: env.outDir,
      note: (m) => notes.push(m),
      progress: (done, total) => options.onProgress?.(currentStep, done, total),
    };
    const reconciled = await reconcile(
      fleet.list().filter((d) => chosen.has(d.serial)),
      ctx,
      { asmApi: executors.assign.who === 'api', mosyleApi: executors.rename.who === 'api' },
    );

    const untilIndex = options.until ? flowIndex(options.until) : Number.POSITIVE_INFINITY;
    for (const step of STEPS) {
      if (flowIndex(step.to) > untilIndex) break;
      currentStep = step.name;
      const devices: Device[] = fleet.list().filter((d) => chosen.has(d.serial) && d.state === step.from);
      if (devices.length === 0) continue;
      const executor = executors[step.name];
      options.onStep?.(step.name, executor.who, devices.length);
      try {
        await executor.run(devices, ctx);
      } catch (e) {
        // What the step recorded stays; its other devices stay where they are for the next run.
        notes.push(`${step.name}: stopped (${describeError(e)}); its iPads stay where they are — run again`);
      }
    }
    const serviceTimeMs = env.clock.now() - serviceStart;
    record.write([{ t: 'run', at: new Date(env.clock.now()).toISOString(), event: 'end', run, serviceTimeMs }]);
    return {
      run,
      counts: fleet.counts(),
      reconciled,
      notes,
      calls: env.ports.calls(),
      serviceTimeMs,
      realTimeMs: Date.now() - started,
      executors: Object.fromEntries(Object.entries(executors).map(([k, v]) => [k, v.who])) as Record<StepName, string>,
    };
  } finally {
    journal.close();
  }
}

/** Reads the journal into a fleet without writing anything (status, report). */
export function readFleet(config: LoadedConfig): Fleet {
  const path = config.path(config.data.journal);
  try {
    return Fleet.replay(Journal.read(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Fleet();
    throw e;
  }
}

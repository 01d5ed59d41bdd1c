/**
 * The `school-migration` command line: init, check, plan, run, status, report, simulate.
 * Credentials come only from environment variables or files named in the config, never from
 * flags. `main()` returns the exit code, so the demo and the tests run it in-process too.
 */
import { resolve } from 'node:path';
import { isSchoolMdmError } from '@schoolmdm/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type CheckItem, runChecklist } from '../checklist/checklist.js';
import { type Clock, RemoteClock, realClock } from '../clock.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { PreflightError } from '../errors.js';
import { asmCredentialsPresent } from '../manual/access.js';
import type { ManualInputs } from '../manual/executors.js';
import { verifyFromExports } from '../manual/verify-run.js';
import { FLOW, type FlowState, isDeviceState, STATE_LABELS } from '../model/states.js';
import { estimateServiceTime } from '../plan/estimate.js';
import { readPlan } from '../plan/plan.js';
import { createPorts } from '../ports/create.js';
import type { Ports } from '../ports/types.js';
import { createProgress } from '../progress/progress.js';
import { formatDuration } from '../report/html.js';
import { writeReports } from '../report/write.js';
import { readFleet, runMigration } from '../runner/runner.js';
import { registerStationCommand } from '../station/command.js';
import { chooseExecutors } from '../steps/registry.js';
import { type PlannedCall, STEPS } from '../steps/types.js';
import { CONFIG_FILE, initProject } from './init.js';

/** Where the CLI writes and what it reads. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
  env: NodeJS.ProcessEnv;
  /** Called by `simulate` to keep serving until the process is stopped. */
  waitForStop?: () => Promise<void>;
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

async function clockFor(config: LoadedConfig): Promise<Clock> {
  if (!config.data.world) return realClock;
  const c = new RemoteClock(config.data.world.url);
  await c.sync();
  return c;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1, e.g. --limit 10');
  return n;
}

function flowState(v: string): FlowState {
  if (!isDeviceState(v) || v === 'failed' || v === 'skipped') {
    throw new InvalidArgumentError(`expected one of: ${FLOW.join(', ')}`);
  }
  return v as FlowState;
}

const mark = (s: CheckItem['state']) => ({ ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', manual: '[hand]' })[s];

/** Runs the CLI; returns the exit code (0 fine, 1 a problem the output explains, 2 usage). */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const out = (s = '') => io.stdout.write(`${s}\n`);
  const program = new Command('school-migration')
    .description("Move a school's iPads to Mosyle under its own Apple School Manager, one journaled step at a time.")
    .option('-c, --config <file>', 'the config file (JSON or YAML)', CONFIG_FILE)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  const config = () => loadConfig(resolve(program.opts<{ config: string }>().config));
  let code = 0;

  program
    .command('init')
    .description(
      'write the config template, the MDM key pair (private key owner-only) and the push certificate request',
    )
    .option('--dir <dir>', 'project folder', '.')
    .option('--school <name>', "the school's name", 'Ecole Sainte-Marie')
    .option('--short <code>', 'short code used in device names', 'ESM')
    .option('--force', 'replace an existing config and key pair')
    .action(async (o: { dir: string; school: string; short: string; force?: boolean }) => {
      for (const line of await initProject(o)) out(line);
    });

  program
    .command('check')
    .description(
      'the checklist of the steps without an API: key pair, server token, push certificate, content token, enrollment profile, accounts',
    )
    .option('--offline', 'do not sign in to Apple School Manager or Mosyle')
    .action(async (o: { offline?: boolean }) => {
      const cfg = config();
      const clock = await clockFor(cfg);
      const ports = o.offline ? undefined : createPorts(cfg, clock, io.env);
      try {
        const items = await runChecklist({
          config: cfg,
          now: new Date(clock.now()),
          ...(ports
            ? {
                asmAccess: () => {
                  // No ASM API account: its steps go to a person (src/manual), not a failure.
                  const creds = asmCredentialsPresent(cfg, io.env);
                  if (cfg.data.asm.steps === 'person' || !creds.ok)
                    return Promise.resolve({
                      ok: false,
                      person: true,
                      message: creds.ok ? 'config asm.steps: person' : creds.why,
                    });
                  return ports.asm.checkAccess();
                },
                mosyleAccess: () => ports.mosyle.checkAccess(),
              }
            : {}),
        });
        try {
          const plan = readPlan(planInput(cfg));
          items.unshift({
            item: 'Plan',
            state: plan.notes.length > 0 ? 'warn' : 'ok',
            detail: `${plan.devices.length} iPads in ${new Set(plan.devices.map((d) => d.group)).size} groups${plan.notes.length ? `; ${plan.notes.length} export line(s) not moving (see plan)` : ''}`,
            next: 'school-migration plan',
          });
        } catch (e) {
          items.unshift({ item: 'Plan', state: 'fail', detail: errorText(e), next: 'fix the plan CSV' });
        }
        for (const i of items) {
          out(`${mark(i.state)} ${i.item}: ${i.detail}${i.expires ? ` (expires ${i.expires})` : ''}`);
          if (i.state !== 'ok') out(`       next: ${i.next}`);
        }
        code = items.some((i) => i.state === 'fail') ? 1 : 0;
      } finally {
        await ports?.close();
      }
    });

  program
    .command('plan')
    .description("dry run: each device's next step, the API calls it would make, and the time under the rate limits")
    .option('--devices', "list each device's next step")
    .action(async (o: { devices?: boolean }) => {
      const cfg = config();
      const plan = readPlan(planInput(cfg));
      const fleet = readFleet(cfg);
      const clock = await clockFor(cfg);
      const ports = createPorts(cfg, clock, io.env);
      try {
        const { executors, mosyleAccess } = await chooseExecutors(cfg, ports, {}, { env: io.env });
        out(`${plan.devices.length} iPads in the plan (${cfg.data.school.name})`);
        if (mosyleAccess && mosyleAccess.status !== 'ok') out(`Mosyle API: ${mosyleAccess.message}`);
        for (const n of plan.notes) out(`  not moving: line ${n.line}${n.serial ? ` ${n.serial}` : ''}: ${n.message}`);
        const state = (serial: string) => fleet.devices.get(serial)?.state ?? 'listed';
        const allCalls: PlannedCall[] = [];
        // Every device goes through every step after its state, so each step's calls cover them all.
        for (const step of STEPS) {
          const devices = plan.devices
            .filter((d) => {
              const s = state(d.serial);
              return s !== 'failed' && s !== 'skipped' && FLOW.indexOf(s as FlowState) <= FLOW.indexOf(step.from);
            })
            .map((d) => ({
              ...d,
              index: 0,
              state: 'listed' as const,
              at: 'listed' as const,
              updatedAt: '',
              history: [],
            }));
          if (devices.length === 0) continue;
          const ex = executors[step.name];
          const calls = ex.plan(devices);
          allCalls.push(...calls);
          out(
            `${step.name.padEnd(16)} ${String(devices.length).padStart(6)} iPads  by ${ex.who.padEnd(8)} ${step.label}`,
          );
          for (const c of calls)
            out(`${''.padEnd(24)}${c.service}: ${c.call} × ${c.count}${c.note ? ` (${c.note})` : ''}`);
        }
        const est = estimateServiceTime(allCalls);
        out(
          `time under the services' limits: ${est.ms < 60_000 ? 'the calls fit within the limits at once' : `at least ${formatDuration(est.ms)}`} (${est.why}), plus the time iPads take to enrol and Mosyle to show new names (about an hour)`,
        );
        const failed = fleet.list().filter((d) => d.state === 'failed').length;
        if (failed > 0) out(`${failed} failed iPad(s) are left out; retry them with: run --only failed`);
        if (o.devices) {
          for (const d of plan.devices) {
            const s = state(d.serial);
            const next = STEPS.find((x) => x.from === s);
            out(
              `${d.serial}  ${d.group.padEnd(12)} ${d.name.padEnd(20)} ${s.padEnd(18)} next: ${next ? next.name : s === 'done' ? '—' : 'run --only failed'}`,
            );
          }
        }
      } finally {
        await ports.close();
      }
    });

  program
    .command('run')
    .description('do the move: reconcile with the services (reads), then each step in bulk, journaled')
    .option('--limit <n>', 'work on at most n iPads (a canary batch)', positiveInt)
    .addOption(new Option('--only <which>', 'retry only the failed iPads, from where each stopped').choices(['failed']))
    .option('--until <state>', `stop once iPads reach this state (${FLOW.join(', ')})`, flowState)
    .option('--mosyle-export <file>', "Mosyle's device export (CSV) verifying the steps done by hand in Mosyle")
    .option('--asm-export <file>', "Apple School Manager's device export (CSV) verifying the assignments done by hand")
    .action(
      async (o: { limit?: number; only?: 'failed'; until?: FlowState; mosyleExport?: string; asmExport?: string }) => {
        const cfg = config();
        const plan = readPlan(planInput(cfg));
        const clock = await clockFor(cfg);
        const blocking = (await runChecklist({ config: cfg, now: new Date(clock.now()) })).filter(
          (i) => i.state === 'fail',
        );
        if (blocking.length > 0)
          throw new PreflightError(blocking.map((i) => ({ item: i.item, message: i.detail, next: i.next })));
        const ports: Ports = createPorts(cfg, clock, io.env);
        const progress = createProgress(io.stderr as NodeJS.WriteStream);
        try {
          const summary = await runMigration(
            { config: cfg, ports, clock, plan, outDir: cfg.path(cfg.data.out) },
            {
              ...(o.limit !== undefined ? { limit: o.limit } : {}),
              ...(o.only === 'failed' ? { onlyFailed: true } : {}),
              ...(o.until ? { until: o.until } : {}),
              manual: { env: io.env, ...manualInputs(o) },
              onStep: progress.onStep,
              onProgress: progress.onProgress,
            },
          );
          progress.stop();
          if (summary.reconciled > 0) out(`reconciled ${summary.reconciled} iPad(s) with what the services show`);
          for (const n of summary.notes) out(`note: ${n}`);
          out(
            `states: ${Object.entries(summary.counts)
              .filter(([, n]) => n > 0)
              .map(([s, n]) => `${s} ${n}`)
              .join(', ')}`,
          );
          out(
            `calls: ${Object.entries(summary.calls)
              .map(([s, n]) => `${s} ${n}`)
              .join(
                ', ',
              )}; time under the services' limits: ${formatDuration(summary.serviceTimeMs)} (real time ${formatDuration(summary.realTimeMs)})`,
          );
          if (summary.counts.failed > 0)
            out(`${summary.counts.failed} iPad(s) failed: see school-migration status, or report`);
        } finally {
          progress.stop();
          await ports.close();
        }
      },
    );

  program
    .command('verify')
    .description(
      "check the steps done by hand from the consoles' device exports (no API call); rewrites the worksheets with what is left",
    )
    .option('--mosyle-export <file>', 'Mosyle: Management > Devices > Devices overview, exported as CSV')
    .option('--asm-export <file>', 'Apple School Manager: Devices, exported as CSV')
    .action(async (o: { mosyleExport?: string; asmExport?: string }) => {
      const cfg = config();
      const plan = readPlan(planInput(cfg));
      const clock = await clockFor(cfg);
      const summary = await verifyFromExports(
        { config: cfg, clock, plan, outDir: cfg.path(cfg.data.out) },
        manualInputs(o),
      );
      if (summary.reconciled > 0)
        out(`reconciled ${summary.reconciled} iPad(s) already in Apple School Manager (from its export)`);
      for (const [step, n] of Object.entries(summary.verified)) out(`${step}: ${n} iPad(s) verified`);
      for (const n of summary.notes) out(`note: ${n}`);
      for (const [, w] of summary.worksheets)
        out(`${w.lines === 0 ? 'nothing left' : `${w.lines} iPad(s) left`}: ${w.html} (and ${w.csv})`);
      out(
        `states: ${Object.entries(summary.counts)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
      );
    });

  program
    .command('status')
    .description('where each iPad stands, from the journal (no network)')
    .action(() => {
      const cfg = config();
      const fleet = readFleet(cfg);
      const counts = fleet.counts();
      out(
        `${fleet.devices.size} iPads, ${fleet.runs} run(s); time under the services' limits so far: ${formatDuration(fleet.serviceTimeMs)}`,
      );
      for (const [s, n] of Object.entries(counts))
        if (n > 0) out(`  ${String(n).padStart(6)}  ${STATE_LABELS[s as keyof typeof STATE_LABELS]}`);
      const failed = fleet.list().filter((d) => d.state === 'failed');
      for (const d of failed.slice(0, 20)) out(`  failed ${d.serial} (${d.name}, at ${d.at}): ${d.reason ?? ''}`);
      if (failed.length > 20) out(`  … ${failed.length - 20} more in the report's devices-failed.csv`);
    });

  program
    .command('report')
    .description('write out/devices.csv, out/devices-failed.csv and the self-contained out/report.html')
    .action(() => {
      const cfg = config();
      const fleet = readFleet(cfg);
      const files = writeReports(fleet, cfg.path(cfg.data.out), {
        school: cfg.data.school.name,
        generatedAt: new Date(),
        notes: [],
      });
      out(`wrote ${files.all}, ${files.failed} and ${files.html}`);
    });

  program
    .command('simulate')
    .description(
      'start a simulated school world (ASM, Apps and Books, Mosyle, a fake cfgutil) on a local port and point the config at it',
    )
    .option('--devices <n>', 'iPads in the simulated school', positiveInt, 300)
    .option(
      '--faults <rate>',
      'share of API requests answered with a fault (429, 5xx, reset, malformed body)',
      (v) => Number(v),
      0,
    )
    .option('--seed <n>', 'random seed of the world', (v) => Number(v), 1)
    .action(async (o: { devices: number; faults: number; seed: number }) => {
      const { startWorld } = await import('../world/world.js');
      const file = resolve(program.opts<{ config: string }>().config);
      const world = await startWorld({
        devices: o.devices,
        faultRate: o.faults,
        seed: o.seed,
        ...(await namingOf(file)),
      });
      await world.installInto(file);
      out(`simulated world on ${world.url}: ${o.devices} iPads; ${file} now points at it`);
      out('stop it with Ctrl-C');
      await (io.waitForStop ?? waitForSignal)();
      await world.close();
    });

  registerStationCommand(program, { config, io });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.stderr.write(`error: ${errorText(e)}\n`);
    return 1;
  }
}

async function namingOf(file: string): Promise<{ short?: string; naming?: string }> {
  try {
    const c = loadConfig(file).data;
    return { short: c.school.short, naming: c.naming };
  } catch {
    return {};
  }
}

/** The console exports given on the command line (paths; relative ones from the current folder). */
function manualInputs(o: { mosyleExport?: string; asmExport?: string }): ManualInputs {
  return {
    ...(o.mosyleExport ? { mosyleExport: resolve(o.mosyleExport) } : {}),
    ...(o.asmExport ? { asmExport: resolve(o.asmExport) } : {}),
  };
}

function planInput(cfg: LoadedConfig) {
  return {
    exportPath: cfg.path(cfg.data.inputs.export),
    planPath: cfg.path(cfg.data.inputs.plan),
    groupColumn: cfg.data.inputs.groupColumn,
    school: cfg.data.school.short,
    naming: cfg.data.naming,
  };
}

function errorText(e: unknown): string {
  if (isSchoolMdmError(e)) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

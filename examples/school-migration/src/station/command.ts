/**
 * `school-migration station`: the Configurator station mode. Reads the config, the plan and
 * the journal, builds the bootstrap Wi-Fi profile, checks the prepare flags against this
 * Mac's cfgutil, then runs the station with its live board until Ctrl-C (or, with
 * `--exit-when-idle`, until nothing is left to do), and ends with the runner's report.
 * The Wi-Fi key comes from an environment variable or a file, never from a flag.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cfgutil, type WifiSecurity } from '@schoolmdm/configurator';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Clock, realClock } from '../clock.js';
import type { LoadedConfig } from '../config/load.js';
import { Journal } from '../journal/journal.js';
import { Fleet } from '../model/fleet.js';
import { readPlan } from '../plan/plan.js';
import { cfgutilEnv } from '../ports/create.js';
import { writeReports } from '../report/write.js';
import { createRecorder } from '../runner/recorder.js';
import { syncPlan } from '../runner/runner.js';
import { createBoard, formatElapsed, formatRow } from './board.js';
import { prepareOptions, StationSetupError, writeBootstrapWifi } from './setup.js';
import { runStation } from './station.js';
import type { StationCfgutil } from './types.js';

/** What the command needs from the CLI. */
export interface StationCommandContext {
  config: () => LoadedConfig;
  io: {
    stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
    env: NodeJS.ProcessEnv;
  };
  /** Stops the station (Ctrl-C); defaults to SIGINT/SIGTERM. */
  stopSignal?: () => AbortSignal;
  /** Replaces cfgutil and the clock (tests). */
  cfgutil?: StationCfgutil;
  clock?: Clock;
}

interface StationFlags {
  parallel: number;
  allowErase?: boolean;
  wifiSsid: string;
  wifiSecurity: WifiSecurity;
  wifiPasswordEnv?: string;
  wifiPasswordFile?: string;
  enrollmentUrl?: string;
  enrollmentUrlFlag?: string;
  dep: boolean;
  skip: string;
  pollMs: number;
  exitWhenIdle?: number;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0');
  return n;
}

/** Registers `station` on the program. */
export function registerStationCommand(program: Command, ctx: StationCommandContext): void {
  program
    .command('station')
    .description(
      'Configurator station: prepare iPads as they are plugged in (erase if allowed, Wi-Fi profile, prepare, check), several at once, journaled',
    )
    .option('--parallel <n>', 'iPads prepared at once', positiveInt, 4)
    .option('--allow-erase', "erase iPads that carry another organisation's management or a cloud configuration")
    .requiredOption('--wifi-ssid <ssid>', 'the bootstrap Wi-Fi network the iPads join to reach Mosyle')
    .addOption(
      new Option('--wifi-security <kind>', 'its security')
        .choices(['WPA2', 'WPA3', 'WPA', 'Any', 'None'])
        .default('WPA2'),
    )
    .option('--wifi-password-env <name>', 'environment variable holding the Wi-Fi key')
    .option('--wifi-password-file <file>', 'file holding the Wi-Fi key (owner-only)')
    .option('--enrollment-url <url>', "Mosyle's enrollment URL (My School > Apple Basic Setup > Enrollment)")
    .option(
      '--enrollment-url-flag <flag>',
      "cfgutil prepare's flag for it (found in `cfgutil help prepare` if not given)",
    )
    .option('--no-dep', 'do not pass --dep (prepare with the enrollment URL only)')
    .option('--skip <panes>', 'Setup Assistant panes to skip, comma-separated', 'language,region')
    .option('--poll-ms <ms>', 'how often cfgutil list runs', positiveInt, 2000)
    .option('--exit-when-idle <seconds>', 'stop once nothing has been left to do for this long', seconds)
    .action(async (o: StationFlags) => {
      const out = (s = '') => ctx.io.stdout.write(`${s}\n`);
      const cfg = ctx.config();
      const password = wifiPassword(o, ctx.io.env, cfg);
      const plan = readPlan({
        exportPath: cfg.path(cfg.data.inputs.export),
        planPath: cfg.path(cfg.data.inputs.plan),
        groupColumn: cfg.data.inputs.groupColumn,
        school: cfg.data.school.short,
        naming: cfg.data.naming,
      });
      const cfgutil =
        ctx.cfgutil ??
        new Cfgutil({
          binary: cfg.data.configurator.cfgutil.includes('/')
            ? cfg.path(cfg.data.configurator.cfgutil)
            : cfg.data.configurator.cfgutil,
          env: cfgutilEnv(cfg, ctx.io.env),
        });
      const skip = o.skip
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const needsHelp =
        o.enrollmentUrl !== undefined || skip.some((s) => !['language', 'region'].includes(s.toLowerCase()));
      const offered = needsHelp && cfgutil instanceof Cfgutil ? await cfgutil.prepareHelpFlags() : new Set<string>();
      const prepare = prepareOptions(
        {
          dep: o.dep,
          skip,
          ...(o.enrollmentUrl !== undefined ? { enrollmentUrl: o.enrollmentUrl } : {}),
          ...(o.enrollmentUrlFlag !== undefined ? { enrollmentUrlFlag: o.enrollmentUrlFlag } : {}),
        },
        offered,
      );
      const tmp = mkdtempSync(join(tmpdir(), 'station-'));
      const { journal, lines } = Journal.open(cfg.path(cfg.data.journal));
      try {
        const file = join(tmp, 'bootstrap-wifi.mobileconfig');
        const { identifier } = writeBootstrapWifi(file, cfg.data.school, {
          ssid: o.wifiSsid,
          security: o.wifiSecurity,
          ...(password !== undefined ? { password } : {}),
        });
        const clock = ctx.clock ?? realClock;
        const fleet = Fleet.replay(lines);
        const record = createRecorder(journal, fleet, () => clock.now());
        record.write(syncPlan(plan, fleet, clock.now()));
        const run = randomUUID();
        const at = () => new Date(clock.now()).toISOString();
        record.write([{ t: 'run', at: at(), event: 'start', run, options: { station: true, parallel: o.parallel } }]);
        const board = createBoard({ stream: ctx.io.stdout, parallel: o.parallel, now: () => clock.now() });
        const signal = ctx.stopSignal?.() ?? stopOnSignals();
        out(
          `station: watching for iPads (up to ${o.parallel} at once${o.allowErase ? ', erase allowed' : ''}); ${o.exitWhenIdle === undefined ? 'Ctrl-C to stop' : `stops after ${o.exitWhenIdle} s with nothing to do`}`,
        );
        const summary = await runStation({
          cfgutil,
          fleet,
          record,
          clock,
          parallel: o.parallel,
          allowErase: o.allowErase === true,
          wifiProfile: { file, identifier },
          prepare,
          pollMs: o.pollMs,
          ...(o.exitWhenIdle !== undefined ? { exitWhenIdleMs: o.exitWhenIdle * 1000 } : {}),
          signal,
          onChange: (row, rows) => board.update(row, rows),
        });
        board.stop(summary.rows);
        record.write([{ t: 'run', at: at(), event: 'end', run }]);
        // The end report, as the runner's.
        out();
        out(
          `station: ${summary.prepared} iPad(s) prepared in ${formatElapsed(summary.elapsedMs)}; ${summary.failed} failed; ${summary.needsErase} need erasing`,
        );
        if (summary.unknown.length > 0) out(`not in the school's list (not touched): ${summary.unknown.join(', ')}`);
        if (summary.unplugged.length > 0)
          out(
            `unplugged mid-step and not back: ${summary.unplugged.join(', ')}; plug them in and run the station again`,
          );
        for (const r of summary.rows.filter((r) => r.status === 'failed' || r.status === 'needs-erase'))
          out(`  ${formatRow(r, clock.now())}`);
        out(
          `states: ${Object.entries(fleet.counts())
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ')}`,
        );
        out(
          `calls: ${Object.entries(summary.calls)
            .map(([s, n]) => `cfgutil ${s} ${n}`)
            .join(', ')}`,
        );
        const files = writeReports(fleet, cfg.path(cfg.data.out), {
          school: cfg.data.school.name,
          generatedAt: new Date(),
          notes: [],
        });
        out(`wrote ${files.all}, ${files.failed} and ${files.html}`);
      } finally {
        journal.close();
        rmSync(tmp, { recursive: true, force: true });
      }
    });
}

function wifiPassword(o: StationFlags, env: NodeJS.ProcessEnv, cfg: LoadedConfig): string | undefined {
  if (o.wifiPasswordEnv !== undefined) {
    const v = env[o.wifiPasswordEnv];
    if (v === undefined || v === '') {
      throw new StationSetupError(`the environment variable ${o.wifiPasswordEnv} (the Wi-Fi key) is not set`, {
        hint: `export ${o.wifiPasswordEnv}=… before starting the station`,
      });
    }
    return v;
  }
  if (o.wifiPasswordFile !== undefined) {
    try {
      return readFileSync(cfg.path(o.wifiPasswordFile), 'utf8').trim();
    } catch {
      throw new StationSetupError(`the Wi-Fi key file ${cfg.path(o.wifiPasswordFile)} cannot be read`, {
        hint: 'write the key alone in that file (chmod 600)',
      });
    }
  }
  return undefined;
}

function stopOnSignals(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort(new Error('stopped'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

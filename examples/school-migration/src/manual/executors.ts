/**
 * The executors of the steps a person does in a console (free-tier Mosyle has no API; a school
 * may have no Apple School Manager API account): each reads the console's device export when
 * one is given, moves the iPads it shows done (`by: 'person'`, the export and line as `ref`),
 * journals the others as `wrong` (with what differs) or `missing`, and writes the console's
 * worksheet of what is left — so every run prints only what a person still has to do.
 */

import { Journal } from '../journal/journal.js';
import type { CheckRecordLine } from '../journal/records.js';
import type { Device } from '../model/fleet.js';
import { type FlowState, flowIndex } from '../model/states.js';
import { describeError } from '../steps/retry.js';
import { type Check, type Move, STEPS, type StepContext, type StepExecutor } from '../steps/types.js';
import { CONSOLES, type ConsoleName, type ExportRole } from './consoles.js';
import { type ConsoleExport, readConsoleExportFile, requireColumn } from './export-reader.js';
import { type CheckResult, checkStep, type ManualStep } from './verify.js';
import { type WorksheetFiles, type WorksheetLine, writeWorksheet } from './worksheet.js';

/** The console exports a run or `verify` reads (paths). */
export interface ManualInputs {
  /** Mosyle's device export (Management > Devices > Devices overview, CSV). */
  mosyleExport?: string;
  /** Apple School Manager's device export (Devices, CSV). */
  asmExport?: string;
}

/** The console of each step a person can do. */
export const STEP_CONSOLE: Record<ManualStep, ConsoleName> = {
  'find-in-asm': 'asm',
  assign: 'asm',
  enrol: 'mosyle',
  rename: 'mosyle',
  group: 'mosyle',
};

/** The export column each step needs besides the serial. */
const STEP_COLUMN: Partial<Record<ManualStep, ExportRole>> = { assign: 'server', rename: 'name', group: 'group' };

/** What one run has read and found, shared by the executors of a console. */
interface RunMemory {
  exports: Map<ConsoleName, ConsoleExport | null>;
  /** Last finding per console and serial (what the worksheet's "To check" says). */
  notes: Map<ConsoleName, Map<string, { note: string; currentName?: string }>>;
  worksheets: Map<ConsoleName, WorksheetFiles>;
  /** Consoles whose worksheet this run announced. */
  announced: Set<ConsoleName>;
}
const memory = new WeakMap<object, RunMemory>();

function memoryOf(ctx: StepContext): RunMemory {
  // One StepContext per run (the runner's, or verify's).
  let m = memory.get(ctx);
  if (!m) {
    m = {
      exports: new Map(),
      notes: new Map([
        ['mosyle', new Map()],
        ['asm', new Map()],
      ]),
      worksheets: new Map(),
      announced: new Set(),
    };
    memory.set(ctx, m);
  }
  return m;
}

/** The export of a console for this run (read once; problems become notes). */
function exportFor(ctx: StepContext, console: ConsoleName, inputs: ManualInputs): ConsoleExport | undefined {
  const m = memoryOf(ctx);
  if (m.exports.has(console)) return m.exports.get(console) ?? undefined;
  const file = console === 'mosyle' ? inputs.mosyleExport : inputs.asmExport;
  let exp: ConsoleExport | null = null;
  if (file) {
    try {
      exp = readConsoleExportFile(console, ctx.config.path(file));
      const planned = exp ? [...exp.rows.keys()].filter((s) => !ctx.fleet.devices.has(s)) : [];
      if (planned.length > 0) {
        ctx.note(
          `${exp.label}: ${planned.length} iPad(s) not in the plan, left alone (${planned.slice(0, 5).join(', ')}${planned.length > 5 ? ', …' : ''})`,
        );
      }
      for (const i of exp.issues.slice(0, 5)) ctx.note(`${exp.label} line ${i.line}: ${i.message}`);
      if (exp.issues.length > 5) ctx.note(`${exp.label}: ${exp.issues.length - 5} more unreadable line(s)`);
    } catch (e) {
      ctx.note(`${CONSOLES[console].title} export not read: ${describeError(e)}`);
      exp = null;
    }
  }
  m.exports.set(console, exp);
  return exp ?? undefined;
}

/** Is this device waiting for a step of this console (the worksheet's lines)? */
function worksheetLine(d: Device, console: ConsoleName, server: string): WorksheetLine | undefined {
  if (d.state === 'failed' || d.state === 'skipped') return undefined;
  const i = flowIndex(d.state as FlowState);
  if (console === 'asm') {
    if (i < flowIndex('prepared') || i >= flowIndex('assigned')) return undefined;
    return { serial: d.serial, name: d.name, group: d.group, server, tasks: ['assign'] };
  }
  if (i < flowIndex('assigned') || i >= flowIndex('grouped')) return undefined;
  return {
    serial: d.serial,
    name: d.name,
    group: d.group,
    tasks: i >= flowIndex('renamed') ? ['group'] : ['rename', 'group'],
  };
}

/** Writes the console's worksheet from where the fleet stands now. */
export function writeConsoleWorksheet(ctx: StepContext, console: ConsoleName): WorksheetFiles {
  const m = memoryOf(ctx);
  const server = ctx.config.data.asm.mosyleServer;
  const notes = m.notes.get(console)!;
  const earlier = earlierChecks(ctx, console);
  const lines: WorksheetLine[] = [];
  let verified = 0;
  const last = console === 'asm' ? 'assigned' : 'grouped';
  for (const d of ctx.fleet.list()) {
    const line = worksheetLine(d, console, server);
    if (line) {
      const n = notes.get(d.serial);
      if (n?.note) line.note = n.note;
      else if (!n) {
        // Not checked in this run: what an earlier export showed, if nothing happened since.
        const c = earlier.get(d.serial);
        if (c && c.at >= d.updatedAt)
          line.note = `${c.outcome === 'wrong' ? 'Wrong' : 'Missing'}: ${c.detail} (${c.source})`;
      }
      if (n?.currentName !== undefined) line.currentName = n.currentName;
      lines.push(line);
    } else if (d.state !== 'failed' && d.state !== 'skipped' && flowIndex(d.state) >= flowIndex(last)) verified++;
  }
  const exp = m.exports.get(console);
  const files = writeWorksheet(ctx.outDir, lines, {
    school: ctx.config.data.school.name,
    console,
    generatedAt: new Date(ctx.clock.now()),
    verified,
    ...(exp ? { verifiedFrom: exp.label } : {}),
  });
  m.worksheets.set(console, files);
  return files;
}

/** The last `check` line of each device for this console's steps, from the journal. */
function earlierChecks(ctx: StepContext, console: ConsoleName): Map<string, CheckRecordLine> {
  const out = new Map<string, CheckRecordLine>();
  let lines: ReturnType<typeof Journal.read> = [];
  try {
    lines = Journal.read(ctx.config.path(ctx.config.data.journal));
  } catch {
    return out;
  }
  for (const l of lines) {
    if (l.t === 'check' && STEP_CONSOLE[l.step as ManualStep] === console) out.set(l.serial, l);
  }
  return out;
}

/** The worksheets written in this run, per console. */
export function worksheetsOf(ctx: StepContext): Map<ConsoleName, WorksheetFiles> {
  return memoryOf(ctx).worksheets;
}

/** True for the executors made here (a person's step verified from an export). */
export function isManualExecutor(e: StepExecutor): boolean {
  return (e as { manual?: boolean }).manual === true;
}

/**
 * The executor of a step a person does in a console, verified from that console's export.
 * @param why why the step is not done by the API (shown in `plan` and the run's notes).
 */
export function personExecutor(step: ManualStep, why: string, inputs: ManualInputs = {}): StepExecutor {
  const console = STEP_CONSOLE[step];
  const info = CONSOLES[console];
  const def = STEPS.find((s) => s.name === step)!;
  const executor: StepExecutor & { manual: true } = {
    step,
    who: 'person',
    manual: true,
    plan: (devices) =>
      devices.length === 0
        ? []
        : [
            {
              service: 'person',
              call:
                step === 'find-in-asm' || step === 'enrol'
                  ? `checked in the ${info.title} export`
                  : `by hand in ${info.title} > ${info.path} (out/worksheet-${console}.html), checked in its export`,
              count: devices.length,
              note: why,
            },
          ],
    async run(devices, ctx) {
      if (devices.length === 0) return;
      const exp = exportFor(ctx, console, inputs);
      const notes = memoryOf(ctx).notes.get(console)!;
      let verifiedHere = 0;
      if (exp) {
        let usable = true;
        const column = STEP_COLUMN[step];
        if (column) {
          try {
            requireColumn(exp, column);
          } catch (e) {
            usable = false;
            ctx.note(`${step}: ${describeError(e)}`);
          }
        }
        if (usable) {
          const server = ctx.config.data.asm.mosyleServer;
          const moves: Move[] = [];
          const checks: Check[] = [];
          for (const d of devices) {
            const r: CheckResult = checkStep(step, d, exp, server);
            const row = exp.rows.get(d.serial);
            const current = row?.name !== undefined ? { currentName: row.name } : {};
            if (r.outcome === 'ok') {
              moves.push({ serial: d.serial, to: def.to, by: 'person', ref: `${exp.label}, line ${r.line}` });
              if (console === 'mosyle') notes.set(d.serial, { note: '', ...current });
              else notes.delete(d.serial);
            } else {
              const source = r.outcome === 'wrong' ? `${exp.label}, line ${r.line}` : exp.label;
              checks.push({ serial: d.serial, step, outcome: r.outcome, detail: r.detail, source });
              notes.set(d.serial, { note: `${r.outcome === 'wrong' ? 'Wrong' : 'Missing'}: ${r.detail}`, ...current });
            }
          }
          ctx.record.move(moves);
          if (ctx.record.check) ctx.record.check(checks);
          else if (checks.length > 0) ctx.note(`${step}: ${checks.length} iPad(s) not done in ${exp.label}`);
          verifiedHere = moves.length;
          const wrong = checks.filter((c) => c.outcome === 'wrong').length;
          if (checks.length > 0) {
            ctx.note(
              `${step}: ${moves.length} verified in ${exp.label}; ${wrong} wrong, ${checks.length - wrong} missing (see out/worksheet-${console}.html)`,
            );
          }
        }
      }
      ctx.progress(verifiedHere, devices.length);
      const files = writeConsoleWorksheet(ctx, console);
      const m = memoryOf(ctx);
      if (!exp && !m.announced.has(console)) {
        m.announced.add(console);
        ctx.note(
          `${info.title}: handed to a person (${why}): ${files.lines} iPad(s) on ${files.html} (and ${files.csv}). ${info.exportHowTo}`,
        );
      }
    },
  };
  return executor;
}

/** The executors of every step a person can do, verified from these exports. */
export function personExecutors(
  why: { asm: string; mosyle: string },
  inputs: ManualInputs = {},
): Record<ManualStep, StepExecutor> {
  return {
    'find-in-asm': personExecutor('find-in-asm', why.asm, inputs),
    assign: personExecutor('assign', why.asm, inputs),
    enrol: personExecutor('enrol', why.mosyle, inputs),
    rename: personExecutor('rename', why.mosyle, inputs),
    group: personExecutor('group', why.mosyle, inputs),
  };
}

/**
 * The iPads an ASM export shows already in the school's Apple School Manager although the
 * journal has them before Configurator (bought by the school, or moved by hand earlier): moved
 * forward to where the export shows them (`in-asm`, or `assigned` when on the Mosyle server),
 * never back. Without the ASM API this is the reconcile the runner does by paged reads.
 * @returns the number of iPads moved.
 */
export function reconcileFromAsmExport(ctx: StepContext, inputs: ManualInputs, devices: readonly Device[]): number {
  const exp = exportFor(ctx, 'asm', inputs);
  if (!exp) return 0;
  const server = ctx.config.data.asm.mosyleServer;
  const moves: Move[] = [];
  for (const d of devices) {
    if (d.state !== 'listed' && d.state !== 'release-requested') continue;
    const row = exp.rows.get(d.serial);
    if (!row) continue;
    const onMosyle = checkStep('assign', d, exp, server).outcome === 'ok';
    moves.push({
      serial: d.serial,
      to: onMosyle ? 'assigned' : 'in-asm',
      by: 'reconcile',
      ref: `${exp.label}, line ${row.line}`,
    });
  }
  ctx.record.move(moves);
  return moves.length;
}

/**
 * "Who does a step" is pluggable: each step of the flow has executors (the API, cfgutil, a
 * person, later a Configurator station) with one interface. The runner picks one per step from
 * the config and the accounts' access; an executor only reads devices and records their moves
 * through the {@link Recorder}, so every executor advances the same journal.
 */
import type { Clock } from '../clock.js';
import type { LoadedConfig } from '../config/load.js';
import type { Actor } from '../journal/records.js';
import type { Device, Fleet } from '../model/fleet.js';
import type { DeviceState, FlowState } from '../model/states.js';
import type { Ports } from '../ports/types.js';

/** The steps of the flow, in order. */
export type StepName =
  | 'request-release'
  | 'prepare'
  | 'find-in-asm'
  | 'assign'
  | 'enrol'
  | 'rename'
  | 'group'
  | 'finish';

/** A step: devices in `from` move to `to`. */
export interface StepDefinition {
  name: StepName;
  from: FlowState;
  to: FlowState;
  /** What the step is, in the school's words. */
  label: string;
}

/** The steps, in the school's order (seed.md steps 1 and 7). */
export const STEPS: readonly StepDefinition[] = [
  { name: 'request-release', from: 'listed', to: 'release-requested', label: 'Ask the old owner to release the iPads' },
  { name: 'prepare', from: 'release-requested', to: 'prepared', label: 'Prepare with Apple Configurator' },
  { name: 'find-in-asm', from: 'prepared', to: 'in-asm', label: "Find it in the school's Apple School Manager" },
  { name: 'assign', from: 'in-asm', to: 'assigned', label: 'Assign it to the Mosyle server in ASM' },
  { name: 'enrol', from: 'assigned', to: 'enrolled', label: 'Wait until it shows in Mosyle' },
  { name: 'rename', from: 'enrolled', to: 'renamed', label: 'Rename it in Mosyle' },
  { name: 'group', from: 'renamed', to: 'grouped', label: 'Put it in its shared device group' },
  { name: 'finish', from: 'grouped', to: 'done', label: 'Done' },
];

/** A state change an executor records. */
export interface Move {
  serial: string;
  to: DeviceState;
  by: Actor;
  ref?: string;
  reason?: string;
  udid?: string;
}

/** Records moves and intents in the journal (fsynced) and in the fleet. */
export interface Recorder {
  move(moves: readonly Move[]): void;
  /** Writes an intent before a non-idempotent call; returns its id. */
  intent(step: StepName, serials: readonly string[], target: Record<string, string>): string;
  /** Records the answer (activity or request id) to an intent's call. */
  sent(intentId: string, ref: string): void;
  /**
   * Records steps a console export shows as not done (`wrong` or `missing`); the devices stay
   * where they are (issue #13: a person's work verified from an export).
   */
  check?(checks: readonly Check[]): void;
}

/** A person's step that a console export shows as not done. */
export interface Check {
  serial: string;
  step: StepName;
  outcome: 'wrong' | 'missing';
  detail: string;
  source: string;
}

/** A call an executor would make, for `plan`. */
export interface PlannedCall {
  service: 'asm' | 'mosyle' | 'cfgutil' | 'file' | 'person';
  /** E.g. `POST /v1/orgDeviceActivities`. */
  call: string;
  count: number;
  /** Why, or what it carries. */
  note?: string;
}

/** Everything an executor may use. */
export interface StepContext {
  config: LoadedConfig;
  ports: Ports;
  fleet: Fleet;
  record: Recorder;
  clock: Clock;
  /** Notes for the run summary (e.g. "12 iPads not attached"). */
  note(message: string): void;
  /** Progress: `done` of `total` devices of this step. */
  progress(done: number, total: number): void;
  /** Where output files go. */
  outDir: string;
}

/** One way to do one step. */
export interface StepExecutor {
  readonly step: StepName;
  /** Who does it (shown in plan, report and journal). */
  readonly who: Actor;
  /** Does no write: the calls it would make for these devices. */
  plan(devices: readonly Device[]): PlannedCall[];
  /** Does the step for these devices (all in the step's `from` state). */
  run(devices: readonly Device[], ctx: StepContext): Promise<void>;
}

/**
 * The journal's record types: one JSON object per line. A device's state is the fold of its
 * records; nothing else is kept between runs.
 */
import type { DeviceState } from '../model/states.js';

/** Who or what did a step: an API, a cfgutil run, a person (worksheet), the program itself, or a Configurator station. */
export type Actor = 'api' | 'cfgutil' | 'person' | 'program' | 'reconcile' | 'station';

/** A device entered the plan (`listed`). */
export interface DeviceRecordLine {
  t: 'device';
  at: string;
  serial: string;
  group: string;
  name: string;
}

/** A state change, with the request or activity id that caused it. */
export interface StateRecordLine {
  t: 'state';
  at: string;
  serial: string;
  from: DeviceState;
  to: DeviceState;
  by: Actor;
  /** The API request id, activity id or file that caused it. */
  ref?: string;
  /** Why (for `failed`/`skipped`: what a person can do). */
  reason?: string;
  /** Mosyle's UDID, once known. */
  udid?: string;
}

/**
 * Written (and fsynced) BEFORE a non-idempotent call, so that a crash between the call and
 * its result never leads to sending it again: on resume, the program reconciles the intent
 * with paged reads instead of repeating it.
 */
export interface IntentRecordLine {
  t: 'intent';
  at: string;
  id: string;
  step: string;
  serials: string[];
  /** What the call asks for (target server, names, group): enough to reconcile. */
  target: Record<string, string>;
}

/** The call of an intent was answered: its activity or request id. */
export interface SentRecordLine {
  t: 'sent';
  at: string;
  id: string;
  ref: string;
}

/** A run started or ended. */
export interface RunRecordLine {
  t: 'run';
  at: string;
  event: 'start' | 'end';
  run: string;
  options?: Record<string, string | number | boolean>;
  /** Simulated or real time the run took under the services' limits (ms), at `end`. */
  serviceTimeMs?: number;
}

/**
 * A person's step checked against a console export and found not done: `wrong` (the export
 * shows it done differently: `detail` says what differs) or `missing` (the iPad is not in the
 * export). The device stays where it is; a later export moves it on (issue #13).
 */
export interface CheckRecordLine {
  t: 'check';
  at: string;
  serial: string;
  /** The step checked (`assign`, `rename`, `group`, …). */
  step: string;
  outcome: 'wrong' | 'missing';
  /** What differs, or why it is missing, in words a person can act on. */
  detail: string;
  /** The export that showed it (console, file name and line). */
  source: string;
}

export type JournalLine =
  | DeviceRecordLine
  | StateRecordLine
  | IntentRecordLine
  | SentRecordLine
  | RunRecordLine
  | CheckRecordLine;

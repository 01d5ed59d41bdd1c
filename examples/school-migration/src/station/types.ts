/**
 * What the station needs from `Cfgutil` (`@schoolmdm/configurator`): the real wrapper fits as
 * it is; the benchmark passes an in-process one on the same simulated iPads.
 */
import type { Cfgutil } from '@schoolmdm/configurator';

/** The `Cfgutil` methods the station uses. */
export type StationCfgutil = Pick<Cfgutil, 'list' | 'get' | 'erase' | 'installProfile' | 'prepare'>;

/** Where an attached iPad stands on the station, as the board shows it. */
export type StationStatus =
  | 'waiting'
  | 'working'
  | 'done'
  | 'failed'
  | 'needs-erase'
  | 'unplugged'
  | 'unknown'
  | 'not-touched';

/** The steps the station runs for one iPad. */
export type StationStep = 'identify' | 'inspect' | 'erase' | 'wifi' | 'prepare' | 'verify';

/** One line of the board: one iPad seen on this station. */
export interface StationRow {
  ecid: string;
  serial?: string;
  /** Its name in the plan. */
  name?: string;
  status: StationStatus;
  step?: StationStep;
  /** When work on it started (station clock), and when it ended. */
  startedAt?: number;
  endedAt?: number;
  /** What happened, in words a person can act on. */
  message?: string;
}

/** What a station session did. */
export interface StationSummary {
  rows: StationRow[];
  /** iPads moved to `prepared` by this session. */
  prepared: number;
  failed: number;
  needsErase: number;
  unknown: string[];
  /** Unplugged mid-step and not back when the station stopped. */
  unplugged: string[];
  /** cfgutil commands run, per command. */
  calls: Record<string, number>;
  /** Station clock time from start to stop (simulated in the benchmark). */
  elapsedMs: number;
}

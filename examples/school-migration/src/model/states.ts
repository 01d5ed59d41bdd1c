/**
 * The per-device states of a school's move, in the school's own order (seed.md, steps 1 and 7):
 * listed in the old MDM's export → in the release request sent to the old owner → prepared with
 * Apple Configurator → seen in the school's Apple School Manager → assigned to the Mosyle server
 * → enrolled in Mosyle → renamed → in its shared device group → done. `failed` and `skipped`
 * can follow any state and carry a reason a person can act on.
 */

/** The states of the forward path, in order. */
export const FLOW = [
  'listed',
  'release-requested',
  'prepared',
  'in-asm',
  'assigned',
  'enrolled',
  'renamed',
  'grouped',
  'done',
] as const;

/** A state on the forward path. */
export type FlowState = (typeof FLOW)[number];

/** Every state a device can be in. */
export type DeviceState = FlowState | 'failed' | 'skipped';

/** All states, for charts and filters (forward path, then the two side states). */
export const ALL_STATES: readonly DeviceState[] = [...FLOW, 'failed', 'skipped'];

/** Position of a state on the forward path (`-1` for `failed`/`skipped`). */
export function flowIndex(state: DeviceState): number {
  return (FLOW as readonly string[]).indexOf(state);
}

/** True when `state` is at or past `target` on the forward path. */
export function reached(state: FlowState, target: FlowState): boolean {
  return flowIndex(state) >= flowIndex(target);
}

/** Whether a string names a state (for `--until` and config values). */
export function isDeviceState(value: string): value is DeviceState {
  return (ALL_STATES as readonly string[]).includes(value);
}

/** Words a school uses for each state (reports, worksheets). */
export const STATE_LABELS: Record<DeviceState, string> = {
  listed: 'Listed in the old MDM export',
  'release-requested': 'Release requested from the old owner',
  prepared: 'Prepared with Apple Configurator',
  'in-asm': "In the school's Apple School Manager",
  assigned: 'Assigned to the Mosyle server',
  enrolled: 'Enrolled in Mosyle',
  renamed: 'Renamed',
  grouped: 'In its shared device group',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

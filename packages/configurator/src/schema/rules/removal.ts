/**
 * `RemovalDate` vs `DurationUntilRemoval` (`mdm/profiles/TopLevel.yaml`).
 *
 * Apple's prose: "If the 'RemovalDate' key is present, the system uses whichever field yields
 * the earliest date." Setting both therefore means one of them is silently ignored; the SDK
 * treats that as a mistake and asks for one. A duration of zero or less removes the profile
 * at once (or is rejected), which is never what a caller means.
 */
import type { CheckContext } from '../check.js';

/** Checks the removal keys of a profile's top-level dictionary. */
export function checkRemoval(ctx: CheckContext, top: Record<string, unknown>): void {
  const duration = top.DurationUntilRemoval;
  const date = top.RemovalDate;
  if (duration !== undefined && date !== undefined) {
    ctx.report('error', 'removal-conflict', [], 'DurationUntilRemoval and RemovalDate are both set', {
      expected: 'at most one of DurationUntilRemoval, RemovalDate',
      hint: 'keep one: iOS removes the profile at whichever is earlier and ignores the other',
    });
  }
  const seconds = typeof duration === 'number' ? duration : numericValue(duration);
  if (seconds !== undefined && !(seconds > 0)) {
    ctx.report('error', 'removal-duration', ['DurationUntilRemoval'], 'the duration must be more than 0 seconds', {
      expected: '> 0 (seconds)',
      found: String(seconds),
      hint: 'give the number of seconds after installation when the profile should be removed',
    });
  }
}

function numericValue(v: unknown): number | undefined {
  if (typeof v === 'object' && v !== null && 'value' in v) {
    const inner = (v as { value: unknown }).value;
    if (typeof inner === 'number') return inner;
    if (typeof inner === 'bigint') return Number(inner);
  }
  return typeof v === 'bigint' ? Number(v) : undefined;
}

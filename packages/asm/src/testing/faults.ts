/**
 * The fault queue the ASM and DEP simulators share: the first injected fault whose method and
 * path match the request is used, and removed once its `times` are spent.
 */

/** What a queued fault is matched on. */
export interface MatchableFault {
  /** HTTP method; any when absent. */
  method?: string | undefined;
  /** A substring of, or a pattern for, the request path; any when absent. */
  path?: string | RegExp | undefined;
  /** How many requests it applies to. @defaultValue 1 */
  times?: number | undefined;
}

/** Takes the first fault of `faults` that matches `request`, counting one use of it. */
export function takeFault<F extends MatchableFault>(faults: F[], request: Request): F | undefined {
  const path = new URL(request.url).pathname;
  const i = faults.findIndex(
    (f) =>
      (f.method === undefined || f.method.toUpperCase() === request.method) &&
      (f.path === undefined || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
  );
  if (i === -1) return undefined;
  const fault = faults[i] as F;
  const left = (fault.times ?? 1) - 1;
  if (left <= 0) faults.splice(i, 1);
  else fault.times = left;
  return fault;
}

/** Errors of the Apple School Manager API client that are not HTTP failures. */
import { SchoolMdmError, setErrorName } from '@schoolmdm/core';

/** `activities.waitUntilDone` gave up before the activity reached a final status. */
export class ActivityTimeoutError extends SchoolMdmError {
  static {
    setErrorName(this, 'ActivityTimeoutError');
  }

  /** The activity id. */
  readonly activityId: string;
  /** The last status read. */
  readonly lastStatus: string | undefined;
  /** The timeout that elapsed, ms. */
  readonly timeoutMs: number;

  constructor(activityId: string, lastStatus: string | undefined, timeoutMs: number) {
    super(`Activity ${activityId} was still ${lastStatus ?? 'not finished'} after ${Math.round(timeoutMs / 1000)} s`, {
      hint: 'Apple processes large activities in minutes; call waitUntilDone again later, with a longer timeoutMs. Apple keeps activities for 30 days.',
    });
    this.activityId = activityId;
    this.lastStatus = lastStatus;
    this.timeoutMs = timeoutMs;
  }
}

/** Why an activity log could not be read. */
export type ActivityLogProblem =
  /** The activity has no `downloadUrl` (not COMPLETED yet, or Apple gave none). */
  | 'not-available'
  /** The link kept failing after fresh links were fetched. */
  | 'link-expired'
  /** The CSV has no column that names the serial number. */
  | 'unrecognised-format';

/** The CSV log of an activity could not be fetched or read. */
export class ActivityLogError extends SchoolMdmError {
  static {
    setErrorName(this, 'ActivityLogError');
  }

  /** The activity id. */
  readonly activityId: string;
  /** What went wrong. */
  readonly problem: ActivityLogProblem;

  constructor(activityId: string, problem: ActivityLogProblem, detail: string, hint: string, cause?: unknown) {
    super(`The log of activity ${activityId} could not be read: ${detail}`, { hint, cause });
    this.activityId = activityId;
    this.problem = problem;
  }
}

/** `client.activities`: assignments and migrations, which Apple runs as asynchronous activities. */
import { ApiError, chunk, InvalidArgumentError, RateLimitError, type RequestOptions, runBatch } from '@schoolmdm/core';
import { pause } from '../../internal/pause.js';
import { type PreparedSerials, prepareSerials, type RejectedSerial } from '../../internal/serials.js';
import { type ActivityLogEntry, parseActivityLog } from '../activity-log.js';
import type { AsmContext } from '../context.js';
import { ActivityLogError, ActivityTimeoutError } from '../errors.js';
import { ActivityDocument, type OrgDeviceActivity, toActivity } from '../schemas.js';
import { pathSegment } from './params.js';

/** The activity types of the Apple School Manager API. */
export type ActivityType =
  | 'ASSIGN_DEVICES'
  | 'UNASSIGN_DEVICES'
  | 'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE'
  | 'UPDATE_MDM_MIGRATION_DEADLINE'
  | 'CANCEL_MDM_MIGRATION';

/** Apple allows a migration deadline at most 90 days ahead (409 otherwise). */
export const MAX_MIGRATION_DEADLINE_MS = 90 * 24 * 3600 * 1000;

/** Serials of one activity request that could not be submitted. */
export interface FailedActivityBatch {
  /** The serials of the batch. */
  serials: string[];
  /** Why (a `ConflictError` for a bad server id, a `RateLimitError` with `retryAfterMs`, …). */
  error: unknown;
}

/** What a bulk activity call did. */
export interface ActivityBatchResult {
  /** The activities Apple created (one per batch of at most 1000 serials). */
  activities: OrgDeviceActivity[];
  /** Serials sent in a created activity. */
  submitted: string[];
  /** Input entries not sent: invalid serial numbers and duplicates. */
  rejected: RejectedSerial[];
  /** Batches Apple refused or that could not be sent. */
  failed: FailedActivityBatch[];
}

/** Parameters of assignment and unassignment. */
export interface AssignDevicesParams {
  /** The MDM server's id (from `mdmServers.list()` or `findByName`). */
  serverId: string;
  /** Serial numbers; normalised, validated and de-duplicated before sending. */
  serials: Iterable<string>;
}

/** Parameters of {@link ActivitiesResource.assignWithMigrationDeadline}. */
export interface MigrationDeadlineParams extends AssignDevicesParams {
  /** When the devices must have migrated: in the future, at most 90 days ahead. */
  deadline: Date | string;
}

/** Options of {@link ActivitiesResource.waitUntilDone}. */
export interface WaitOptions {
  /** Time between two reads of the activity. @defaultValue `15_000` */
  pollIntervalMs?: number;
  /** Give up (with `ActivityTimeoutError`) after this long. @defaultValue `1_800_000` (30 min) */
  timeoutMs?: number;
  /** Stops waiting (with `AbortError`). */
  signal?: AbortSignal;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'STOPPED']);

/**
 * Device activities: `POST /v1/orgDeviceActivities` for each batch of serials, then
 * `GET /v1/orgDeviceActivities/{id}` until Apple is done. `COMPLETED` does not mean every
 * serial worked (unknown serials are silently dropped): read the {@link log} or call
 * `client.verifyAssignment`.
 *
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi/create-an-orgdeviceactivity
 */
export class ActivitiesResource {
  readonly #ctx: AsmContext;
  readonly #batchSize: number;
  readonly #maxLinkRefreshes: number;

  /** @internal */
  constructor(ctx: AsmContext, batchSize: number, maxLinkRefreshes: number) {
    this.#ctx = ctx;
    this.#batchSize = batchSize;
    this.#maxLinkRefreshes = maxLinkRefreshes;
  }

  /**
   * Assigns devices to an MDM server (`ASSIGN_DEVICES`), in batches of at most 1000.
   *
   * @example
   * ```ts
   * const { activities, rejected, failed } = await client.activities.assignDevices({ serverId, serials });
   * for (const a of activities) await client.activities.waitUntilDone(a.id);
   * ```
   */
  async assignDevices(params: AssignDevicesParams, options: RequestOptions = {}): Promise<ActivityBatchResult> {
    return this.#submit('ASSIGN_DEVICES', requireServer(params), prepare(params), undefined, options);
  }

  /** Unassigns devices from an MDM server (`UNASSIGN_DEVICES`), in batches of at most 1000. */
  async unassignDevices(params: AssignDevicesParams, options: RequestOptions = {}): Promise<ActivityBatchResult> {
    return this.#submit('UNASSIGN_DEVICES', requireServer(params), prepare(params), undefined, options);
  }

  /**
   * Assigns devices to a new MDM server and asks them to migrate without an erase by
   * `deadline` (`ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE`, iOS/iPadOS/macOS 26). The
   * deadline is checked locally first: in the future, at most 90 days ahead.
   */
  async assignWithMigrationDeadline(
    params: MigrationDeadlineParams,
    options: RequestOptions = {},
  ): Promise<ActivityBatchResult> {
    const deadline = checkMigrationDeadline(params?.deadline, this.#ctx.now(), false);
    return this.#submit(
      'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE',
      requireServer(params),
      prepare(params),
      deadline,
      options,
    );
  }

  /**
   * Moves the migration deadline of devices already migrating. An earlier deadline is
   * enforced without letting users postpone; a past one (with `allowPast: true`) forces the
   * migration now.
   */
  async updateMigrationDeadline(
    params: { serials: Iterable<string>; deadline: Date | string; allowPast?: boolean },
    options: RequestOptions = {},
  ): Promise<ActivityBatchResult> {
    const deadline = checkMigrationDeadline(params?.deadline, this.#ctx.now(), params?.allowPast === true);
    return this.#submit('UPDATE_MDM_MIGRATION_DEADLINE', undefined, prepare(params), deadline, options);
  }

  /**
   * Cancels pending migrations; before a device starts migrating, Apple reverts it to its
   * original server.
   */
  async cancelMigration(
    params: { serials: Iterable<string> },
    options: RequestOptions = {},
  ): Promise<ActivityBatchResult> {
    return this.#submit('CANCEL_MDM_MIGRATION', undefined, prepare(params), undefined, options);
  }

  /** Reads an activity (Apple keeps them 30 days). */
  async get(id: string, options: RequestOptions = {}): Promise<OrgDeviceActivity> {
    const { data } = await this.#ctx.call(
      {
        method: 'GET',
        path: `orgDeviceActivities/${pathSegment(id, 'id')}`,
        schema: ActivityDocument,
        what: 'orgDeviceActivity',
      },
      options,
    );
    return toActivity(data);
  }

  /**
   * Reads the activity until its status is final (`COMPLETED`, `FAILED` or `STOPPED`) and
   * returns it. Each read is one rate-limited GET: keep `pollIntervalMs` generous.
   */
  async waitUntilDone(id: string, options: WaitOptions = {}): Promise<OrgDeviceActivity> {
    const poll = options.pollIntervalMs ?? 15_000;
    const timeoutMs = options.timeoutMs ?? 1_800_000;
    if (!(poll > 0))
      throw new InvalidArgumentError('pollIntervalMs', `expected a positive number, got ${String(poll)}`);
    if (!(timeoutMs > 0))
      throw new InvalidArgumentError('timeoutMs', `expected a positive number, got ${String(timeoutMs)}`);
    const started = this.#ctx.now();
    for (;;) {
      const activity = await this.get(id, { signal: options.signal });
      if (activity.status && TERMINAL.has(activity.status)) return activity;
      if (this.#ctx.now() - started + poll > timeoutMs) {
        throw new ActivityTimeoutError(id, activity.status ?? undefined, timeoutMs);
      }
      await pause(this.#ctx.sleep, poll, options.signal);
    }
  }

  /**
   * The per-serial results of a finished activity, from its CSV log. The log sits behind a
   * presigned link that expires within minutes: it is fetched at once, without the Bearer
   * token, and when the link has expired the activity is read again for a fresh one. Pass the
   * activity `waitUntilDone` returned to save a read.
   */
  async log(activity: string | OrgDeviceActivity, options: RequestOptions = {}): Promise<ActivityLogEntry[]> {
    const id = typeof activity === 'string' ? activity : activity?.id;
    pathSegment(id, 'activity');
    let current = typeof activity === 'string' ? undefined : activity;
    let lastError: unknown;
    for (let refresh = 0; refresh <= this.#maxLinkRefreshes; refresh++) {
      if (current === undefined || refresh > 0) current = await this.get(id, options);
      const url = current.downloadUrl;
      if (!url) {
        throw new ActivityLogError(
          id,
          'not-available',
          `the activity is ${current.status ?? 'in an unknown state'} and has no downloadUrl`,
          'Wait until the activity is COMPLETED (activities.waitUntilDone) before reading its log.',
        );
      }
      try {
        // Absolute URL on the blob store: the transport sends no Authorization (the presigned
        // query is the credential), and the rate-limit rules of the API host do not apply.
        const { data } = await this.#ctx.transport.get<string>(
          url,
          { responseType: 'text', headers: { accept: 'text/csv, */*' }, what: 'activity log' },
          { signal: options.signal, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries },
        );
        return parseActivityLog(data, id);
      } catch (error) {
        // S3 answers an expired presigned URL with 403, Azure with 403 or 400.
        if (error instanceof ApiError && (error.status === 400 || error.status === 401 || error.status === 403)) {
          lastError = error;
          continue;
        }
        throw error;
      }
    }
    throw new ActivityLogError(
      id,
      'link-expired',
      `the download link was refused ${this.#maxLinkRefreshes + 1} times, even fresh from Apple`,
      'Check the machine clock (presigned links are time-limited) and that no proxy rewrites the URL.',
      lastError,
    );
  }

  async #submit(
    type: ActivityType,
    serverId: string | undefined,
    prepared: PreparedSerials,
    deadline: string | undefined,
    options: RequestOptions,
  ): Promise<ActivityBatchResult> {
    const batches = chunk(prepared.serials, this.#batchSize);
    const outcome = await runBatch(
      batches,
      async (serials, _i, { signal }) => {
        const body = {
          data: {
            type: 'orgDeviceActivities',
            attributes: {
              activityType: type,
              ...(deadline ? { activityTypeMetadata: { mdmMigrationDeadlineDateTime: deadline } } : {}),
            },
            relationships: {
              ...(serverId ? { mdmServer: { data: { type: 'mdmServers', id: serverId } } } : {}),
              devices: { data: serials.map((id) => ({ type: 'orgDevices', id })) },
            },
          },
        };
        for (;;) {
          try {
            const { data } = await this.#ctx.call(
              { method: 'POST', path: 'orgDeviceActivities', body, schema: ActivityDocument, what: 'created activity' },
              { ...options, signal: signal ?? options.signal },
            );
            return toActivity(data);
          } catch (error) {
            // The transport refused to queue the POST that long (nothing was sent): wait for the
            // budget out here, then send with a token that is fresh at that time.
            if (!(error instanceof RateLimitError && error.source === 'client' && error.retryAfterMs !== undefined))
              throw error;
            await pause(this.#ctx.sleep, error.retryAfterMs, signal ?? options.signal);
          }
        }
      },
      { concurrency: 4, signal: options.signal },
    );
    return {
      activities: outcome.succeeded.map((s) => s.value),
      submitted: outcome.succeeded.flatMap((s) => s.item),
      rejected: prepared.rejected,
      failed: outcome.failed.map((f) => ({ serials: f.item, error: f.error })),
    };
  }
}

function prepare(params: { serials: Iterable<string> } | undefined): PreparedSerials {
  return prepareSerials(params?.serials);
}

function requireServer(params: { serverId: string } | undefined): string {
  const id = params?.serverId;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new InvalidArgumentError('serverId', 'expected the id of an MDM server', {
      hint: 'Find it with client.mdmServers.findByName("…") or client.mdmServers.list().',
    });
  }
  return id.trim();
}

/**
 * Checks a migration deadline and returns it as ISO 8601 with milliseconds: a valid date, at
 * most 90 days ahead, and in the future unless `allowPast`.
 */
export function checkMigrationDeadline(value: Date | string | undefined, nowMs: number, allowPast: boolean): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('deadline', `expected a Date or an ISO 8601 date-time, got ${describe(value)}`, {
      hint: 'Pass e.g. new Date("2026-12-18T17:00:00Z").',
    });
  }
  const t = date.getTime();
  if (!allowPast && t <= nowMs) {
    throw new InvalidArgumentError('deadline', `${date.toISOString()} is not in the future`, {
      hint: 'A migration deadline must be ahead of now (to force a migration at once, use updateMigrationDeadline with allowPast: true).',
    });
  }
  if (t > nowMs + MAX_MIGRATION_DEADLINE_MS) {
    const days = Math.ceil((t - nowMs) / 86_400_000);
    throw new InvalidArgumentError('deadline', `${date.toISOString()} is ${days} days ahead; Apple allows at most 90`, {
      hint: 'Choose a deadline within 90 days (Apple answers 409 otherwise).',
    });
  }
  return date.toISOString();
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  if (value instanceof Date) return 'an invalid Date';
  return value === null ? 'null' : typeof value;
}

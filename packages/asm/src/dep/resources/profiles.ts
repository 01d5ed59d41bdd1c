/** `depClient.profiles`: ADE enrolment profiles and their assignment to devices. */
import { chunk, InvalidArgumentError, NotFoundError, type RequestOptions, runBatch } from '@schoolmdm/core';
import { pause } from '../../internal/pause.js';
import { prepareSerials, type RejectedSerial } from '../../internal/serials.js';
import { DEP_JSON, type DepContext } from '../context.js';
import {
  AssignProfileResponse,
  DefineProfileResponse,
  type DepDeviceStatus,
  type DepProfile,
  ProfileSchema,
} from '../schemas.js';
import { type DeviceStatusResult, statusCall } from './devices.js';

/** What `profiles.assign` did. */
export interface ProfileAssignmentResult {
  /** The profile assigned. */
  profileUuid: string;
  /** Apple's answer per serial. */
  results: Record<string, DepDeviceStatus>;
  /** Serials with `SUCCESS`. */
  succeeded: string[];
  /** Serials with `THROTTLED` (protocol ≥ 9): retry after `retryAfterSeconds`. */
  throttled: string[];
  /** Serials with `FAILED`: Apple asks for a 24-hour cooldown before trying again (fleetdm/fleet#37072). */
  failedDevices: string[];
  /** Serials with `NOT_ACCESSIBLE`: not assigned to this MDM server in Apple School Manager. */
  notAccessible: string[];
  /** The longest `retry_after_seconds` Apple sent (protocol ≥ 10), when any device was throttled. */
  retryAfterSeconds: number | undefined;
  /** Input entries not sent. */
  rejected: RejectedSerial[];
  /** Batches whose request failed as a whole. */
  failed: { serials: string[]; error: unknown }[];
}

/** Options of {@link DepProfilesResource.assignWithRetry}. */
export interface AssignWithRetryOptions {
  /** Assignment rounds, the first included. @defaultValue `3` */
  maxRounds?: number;
  /** Longest wait between rounds; a longer `retry_after_seconds` ends the retries (the devices stay in `throttled`). @defaultValue `600_000` */
  maxWaitMs?: number;
  /** Wait when Apple throttled devices but sent no `retry_after_seconds` (protocol < 10). @defaultValue `60_000` */
  defaultWaitMs?: number;
  /** Stops waiting. */
  signal?: AbortSignal;
}

/**
 * ADE profiles: what Setup Assistant shows and which MDM a device enrols in.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/assign-a-profile
 */
export class DepProfilesResource {
  readonly #ctx: DepContext;

  /** @internal */
  constructor(ctx: DepContext) {
    this.#ctx = ctx;
  }

  /**
   * Defines a profile (`POST /profile`); checked locally first (name and URL required and
   * within Apple's lengths, `is_mdm_removable: false` only with `is_supervised: true`).
   */
  async define(
    profile: DepProfile,
    options: RequestOptions = {},
  ): Promise<{ profileUuid: string; devices: Record<string, DepDeviceStatus> }> {
    checkProfile(profile);
    const { data } = await this.#ctx.call(
      {
        method: 'POST',
        path: 'profile',
        body: profile,
        headers: DEP_JSON,
        schema: DefineProfileResponse,
        what: 'defined profile',
      },
      options,
    );
    return { profileUuid: data.profile_uuid, devices: data.devices ?? {} };
  }

  /** Reads a profile (`GET /profile?profile_uuid=`); `undefined` when Apple does not know it. */
  async get(uuid: string, options: RequestOptions = {}): Promise<DepProfile | undefined> {
    if (typeof uuid !== 'string' || uuid.trim() === '')
      throw new InvalidArgumentError('uuid', 'expected a profile UUID');
    try {
      const { data } = await this.#ctx.call(
        {
          method: 'GET',
          path: 'profile',
          query: { profile_uuid: uuid.trim() },
          schema: ProfileSchema,
          what: 'profile',
        },
        options,
      );
      return data as DepProfile;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      if (
        error instanceof Error &&
        'code' in error &&
        ((error as { code?: string }).code === 'PROFILE_NOT_FOUND' || (error as { code?: string }).code === 'NOT_FOUND')
      ) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Assigns a profile to devices (`POST /profile/devices`, at most 1000 per call). Per-serial
   * `THROTTLED`, `FAILED` and `NOT_ACCESSIBLE` are reported, never thrown.
   */
  async assign(
    uuid: string,
    serials: Iterable<string>,
    options: RequestOptions = {},
  ): Promise<ProfileAssignmentResult> {
    if (typeof uuid !== 'string' || uuid.trim() === '')
      throw new InvalidArgumentError('uuid', 'expected a profile UUID');
    const prepared = prepareSerials(serials);
    const outcome = await runBatch(
      chunk(prepared.serials, 1000),
      async (batch, _i, { signal }) =>
        (
          await this.#ctx.call(
            {
              method: 'POST',
              path: 'profile/devices',
              body: { profile_uuid: uuid.trim(), devices: batch },
              headers: DEP_JSON,
              schema: AssignProfileResponse,
              what: 'profile assignment',
            },
            { ...options, signal: signal ?? options.signal },
          )
        ).data,
      { concurrency: 2, signal: options.signal },
    );
    const result: ProfileAssignmentResult = {
      profileUuid: uuid.trim(),
      results: {},
      succeeded: [],
      throttled: [],
      failedDevices: [],
      notAccessible: [],
      retryAfterSeconds: undefined,
      rejected: prepared.rejected,
      failed: outcome.failed.map((f) => ({ serials: f.item, error: f.error })),
    };
    for (const s of outcome.succeeded) {
      Object.assign(result.results, s.value.devices ?? {});
      const r = s.value.retry_after_seconds;
      if (typeof r === 'number' && r >= 0) result.retryAfterSeconds = Math.max(result.retryAfterSeconds ?? 0, r);
    }
    for (const [serial, status] of Object.entries(result.results)) {
      if (status === 'SUCCESS') result.succeeded.push(serial);
      else if (status === 'THROTTLED') result.throttled.push(serial);
      else if (status === 'FAILED') result.failedDevices.push(serial);
      else if (status === 'NOT_ACCESSIBLE') result.notAccessible.push(serial);
    }
    return result;
  }

  /**
   * {@link assign}, then again for the `THROTTLED` serials only, after Apple's
   * `retry_after_seconds`, for up to `maxRounds` rounds. `FAILED` serials are not retried
   * (Apple wants 24 hours between attempts). The result merges every round.
   */
  async assignWithRetry(
    uuid: string,
    serials: Iterable<string>,
    retry: AssignWithRetryOptions = {},
    options: RequestOptions = {},
  ): Promise<ProfileAssignmentResult & { rounds: number }> {
    const maxRounds = retry.maxRounds ?? 3;
    if (!Number.isInteger(maxRounds) || maxRounds < 1) {
      throw new InvalidArgumentError('maxRounds', `expected a positive integer, got ${String(maxRounds)}`);
    }
    const signal = retry.signal ?? options.signal;
    const total = await this.assign(uuid, serials, { ...options, signal });
    let rounds = 1;
    let pending = total.throttled;
    let retryAfter = total.retryAfterSeconds;
    while (pending.length > 0 && rounds < maxRounds) {
      const waitMs = retryAfter === undefined ? (retry.defaultWaitMs ?? 60_000) : retryAfter * 1000;
      if (waitMs > (retry.maxWaitMs ?? 600_000)) break;
      await pause(this.#ctx.sleep, waitMs, signal);
      const next = await this.assign(uuid, pending, { ...options, signal });
      rounds++;
      Object.assign(total.results, next.results);
      total.failed.push(...next.failed);
      pending = next.throttled;
      retryAfter = next.retryAfterSeconds;
    }
    total.succeeded = [];
    total.throttled = [];
    total.failedDevices = [];
    total.notAccessible = [];
    for (const [serial, status] of Object.entries(total.results)) {
      if (status === 'SUCCESS') total.succeeded.push(serial);
      else if (status === 'THROTTLED') total.throttled.push(serial);
      else if (status === 'FAILED') total.failedDevices.push(serial);
      else if (status === 'NOT_ACCESSIBLE') total.notAccessible.push(serial);
    }
    total.retryAfterSeconds = total.throttled.length > 0 ? retryAfter : undefined;
    return { ...total, rounds };
  }

  /** Removes the profile from devices (`DELETE /profile/devices`). */
  remove(serials: Iterable<string>, options: RequestOptions = {}): Promise<DeviceStatusResult> {
    return statusCall(this.#ctx, 'DELETE', 'profile/devices', serials, options);
  }
}

function checkProfile(profile: DepProfile): void {
  if (!profile || typeof profile !== 'object') throw new InvalidArgumentError('profile', 'expected a profile object');
  const name = profile.profile_name;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidArgumentError('profile.profile_name', 'is required (Apple: CONFIG_NAME_REQUIRED)');
  }
  if (Buffer.byteLength(name, 'utf8') > 125) {
    throw new InvalidArgumentError(
      'profile.profile_name',
      'is longer than 125 UTF-8 bytes (Apple: CONFIG_NAME_INVALID)',
    );
  }
  if (typeof profile.url !== 'string' || profile.url.trim() === '') {
    throw new InvalidArgumentError('profile.url', 'the MDM enrolment URL is required (Apple: CONFIG_URL_REQUIRED)');
  }
  if (encodeURI(profile.url).length > 2000) {
    throw new InvalidArgumentError(
      'profile.url',
      'is longer than 2000 URL-encoded characters (Apple: CONFIG_URL_INVALID)',
    );
  }
  if (profile.is_mdm_removable === false && profile.is_supervised !== true) {
    throw new InvalidArgumentError(
      'profile.is_mdm_removable',
      'false needs is_supervised: true (Apple: FLAGS_INVALID)',
    );
  }
  if (profile.devices !== undefined) {
    const { rejected } = prepareSerials(profile.devices, 'profile.devices');
    if (rejected.length > 0) {
      throw new InvalidArgumentError(
        'profile.devices',
        `${rejected.length} entries are not valid, unique serials (first: ${rejected[0]?.message})`,
      );
    }
  }
}

/** `depClient.devices`: fetch, sync, details and (opt-in) disown. */
import { chunk, InvalidArgumentError, paginate, type RequestOptions, runBatch } from '@schoolmdm/core';
import type { AsyncList } from '../../internal/list.js';
import { prepareSerials, type RejectedSerial } from '../../internal/serials.js';
import { DEP_JSON, type DepContext } from '../context.js';
import { DepCursorError } from '../errors.js';
import {
  type DepDevice,
  DepDevicePage,
  type DepDeviceStatus,
  DeviceDetailsResponse,
  DeviceStatusResponse,
} from '../schemas.js';

/** Options of `devices.fetch` and `devices.sync`. */
export interface DeviceListOptions {
  /** Devices per request (Apple: default 100, at most 1000). @defaultValue `1000` */
  limit?: number;
  /**
   * Called with the cursor of every page as it arrives: persist it, so a crash resumes where it
   * stopped and the next `sync` starts from the last one.
   */
  onCursor?: (cursor: string) => void | Promise<void>;
}

/** Per-serial results of a call that takes a device list. */
export interface DeviceStatusResult {
  /** Apple's answer per serial (`SUCCESS`, `NOT_ACCESSIBLE`, `FAILED`, …). */
  results: Record<string, DepDeviceStatus>;
  /** Input entries not sent: invalid serials, duplicates. */
  rejected: RejectedSerial[];
  /** Batches whose request failed as a whole. */
  failed: { serials: string[]; error: unknown }[];
}

/**
 * The devices Apple assigned to this MDM server.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/fetch-devices
 * @see https://developer.apple.com/documentation/devicemanagement/sync-devices
 */
export class DepDevicesResource {
  readonly #ctx: DepContext;

  /** @internal */
  constructor(ctx: DepContext) {
    this.#ctx = ctx;
  }

  /**
   * Every device assigned to the server now (`POST /server/devices`), page by page. Stops when
   * Apple says `more_to_follow: false`, or repeats a cursor while saying `more_to_follow: true`
   * (nanodep#73). A saved cursor whose fetch is complete (`EXHAUSTED_CURSOR`) yields nothing:
   * continue with {@link sync}.
   *
   * @example
   * ```ts
   * let cursor: string | undefined;
   * for await (const d of dep.devices.fetch({ onCursor: (c) => { cursor = c; } })) console.log(d.serial_number);
   * // later: for await (const change of dep.devices.sync(cursor!)) …
   * ```
   */
  fetch(params: DeviceListOptions & { cursor?: string } = {}, options: RequestOptions = {}): AsyncList<DepDevice> {
    return this.#list('server/devices', params, params.cursor, false, options);
  }

  /**
   * Changes since `cursor` (`POST /devices/sync`): devices with `op_type` `added`, `modified`
   * or `deleted` and `op_date`. Duplicates (same serial, `op_type` and `op_date`) are dropped.
   * An expired or invalid cursor throws `DepCursorError`, or with `onInvalidCursor: 'refetch'`
   * falls back to a full {@link fetch}.
   */
  sync(
    cursor: string,
    params: DeviceListOptions & { onInvalidCursor?: 'throw' | 'refetch' } = {},
    options: RequestOptions = {},
  ): AsyncList<DepDevice> {
    if (typeof cursor !== 'string' || cursor === '') {
      throw new InvalidArgumentError('cursor', 'expected the cursor saved from devices.fetch()', {
        hint: 'Run devices.fetch({ onCursor }) first and keep its last cursor.',
      });
    }
    return this.#list('devices/sync', params, cursor, true, options);
  }

  /** Details of devices by serial (`POST /devices`), 1000 per request. */
  async details(
    serials: Iterable<string>,
    options: RequestOptions = {},
  ): Promise<{
    devices: Record<string, DepDevice>;
    rejected: RejectedSerial[];
    failed: { serials: string[]; error: unknown }[];
  }> {
    const prepared = prepareSerials(serials);
    const outcome = await runBatch(
      chunk(prepared.serials, 1000),
      async (batch, _i, { signal }) =>
        (
          await this.#ctx.call(
            {
              method: 'POST',
              path: 'devices',
              body: { devices: batch },
              headers: DEP_JSON,
              schema: DeviceDetailsResponse,
              idempotent: true,
              what: 'device details',
            },
            { ...options, signal: signal ?? options.signal },
          )
        ).data,
      { concurrency: 2, signal: options.signal },
    );
    const devices: Record<string, DepDevice> = {};
    for (const s of outcome.succeeded) {
      for (const [serial, d] of Object.entries(s.value.devices ?? {}))
        devices[serial] = { ...d, serial_number: d.serial_number ?? serial };
    }
    return {
      devices,
      rejected: prepared.rejected,
      failed: outcome.failed.map((f) => ({ serials: f.item, error: f.error })),
    };
  }

  /**
   * Removes devices from the organisation for good (`POST /devices/disown`). Destructive and
   * irreversible: refused unless `allowDestructive: true`.
   */
  async disown(
    serials: Iterable<string>,
    params: { allowDestructive?: boolean } = {},
    options: RequestOptions = {},
  ): Promise<DeviceStatusResult> {
    if (params.allowDestructive !== true) {
      throw new InvalidArgumentError(
        'allowDestructive',
        'disown removes devices from the organisation and cannot be undone',
        {
          hint: 'Pass { allowDestructive: true } if that is really what you want; to move devices, assign them to another server in Apple School Manager instead.',
        },
      );
    }
    return statusCall(this.#ctx, 'POST', 'devices/disown', serials, options);
  }

  #list(
    path: string,
    params: DeviceListOptions & { onInvalidCursor?: 'throw' | 'refetch' },
    cursor: string | undefined,
    sync: boolean,
    options: RequestOptions,
  ): AsyncList<DepDevice> {
    const limit = params.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidArgumentError('limit', `expected an integer from 1 to 1000, got ${String(limit)}`);
    }
    const ctx = this.#ctx;
    const pages = () =>
      paginate({
        strategy: 'cursor',
        signal: options.signal,
        initialCursor: cursor,
        // Apple repeats its last cursor with more_to_follow: true (nanodep#73): stop there.
        onRepeatedCursor: 'stop',
        fetchPage: async (c, { signal }) => {
          try {
            const { data } = await ctx.call(
              {
                method: 'POST',
                path,
                body: c === undefined ? { limit } : { cursor: c, limit },
                headers: DEP_JSON,
                schema: DepDevicePage,
                idempotent: true,
                what: 'DEP device page',
              },
              { ...options, signal },
            );
            if (data.cursor) await params.onCursor?.(data.cursor);
            return data;
          } catch (error) {
            if (!sync && c !== undefined && error instanceof DepCursorError && error.problem === 'exhausted') {
              return { devices: [], more_to_follow: false, cursor: c };
            }
            throw error;
          }
        },
        nextCursor: (page) => (page.more_to_follow ? page.cursor : undefined),
        items: (page) => page.devices ?? [],
      });
    const refetch = params.onInvalidCursor === 'refetch';
    const self = this;
    const iterate = async function* (): AsyncGenerator<DepDevice> {
      const seen = new Set<string>();
      try {
        for await (const d of pages().items()) {
          if (sync) {
            const key = `${d.serial_number}\u0000${d.op_type ?? ''}\u0000${d.op_date ?? ''}`;
            if (seen.has(key)) continue;
            seen.add(key);
          }
          yield d;
        }
      } catch (error) {
        const restart =
          sync &&
          refetch &&
          seen.size === 0 &&
          error instanceof DepCursorError &&
          (error.problem === 'expired' || error.problem === 'invalid');
        if (!restart) throw error;
        yield* self.fetch({ limit, onCursor: params.onCursor }, options);
      }
    };
    return {
      [Symbol.asyncIterator]: () => iterate()[Symbol.asyncIterator](),
      async toArray({ limit: max }) {
        if (!Number.isInteger(max) || max < 0)
          throw new InvalidArgumentError('limit', `expected an integer ≥ 0, got ${String(max)}`);
        const out: DepDevice[] = [];
        if (max === 0) return out;
        for await (const d of iterate()) {
          out.push(d);
          if (out.length >= max) break;
        }
        return out;
      },
    };
  }
}

/** Sends a device list in batches of 1000 and merges Apple's per-serial statuses. */
export async function statusCall(
  ctx: DepContext,
  method: 'POST' | 'DELETE',
  path: string,
  serials: Iterable<string>,
  options: RequestOptions,
  extra: Record<string, unknown> = {},
): Promise<DeviceStatusResult> {
  const prepared = prepareSerials(serials);
  const outcome = await runBatch(
    chunk(prepared.serials, 1000),
    async (batch, _i, { signal }) =>
      (
        await ctx.call(
          {
            method,
            path,
            body: { ...extra, devices: batch },
            headers: DEP_JSON,
            schema: DeviceStatusResponse,
            what: `${path} response`,
          },
          { ...options, signal: signal ?? options.signal },
        )
      ).data,
    { concurrency: 2, signal: options.signal },
  );
  const results: Record<string, DepDeviceStatus> = {};
  for (const s of outcome.succeeded) Object.assign(results, s.value.devices ?? {});
  return {
    results,
    rejected: prepared.rejected,
    failed: outcome.failed.map((f) => ({ serials: f.item, error: f.error })),
  };
}

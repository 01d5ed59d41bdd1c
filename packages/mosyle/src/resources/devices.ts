/**
 * `client.devices`: listing per OS, lookups by serial number, bulk rename / asset tag / tags
 * with per-serial results, and confirmation by reading the names back (Mosyle's API docs for `/listdevices` and `/devices`; Mosyle refreshes
 * device information only hourly).
 */
import { chunk, InvalidArgumentError, type RequestOptions, runBatch } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { listAll } from '../internal/list.js';
import { DevicesUpdateEnvelope } from '../internal/schemas.js';
import { type Device, type DeviceColumn, deviceKey, MOSYLE_OS_LIST, type MosyleOs, toDevice } from './device-model.js';
import type { ItemResult, ItemsResult } from './results.js';

/** Filters of {@link Devices.list}. */
export interface ListDevicesParams {
  /** OS family: Mosyle lists one per call. */
  os: MosyleOs;
  /** Only these serial numbers. */
  serialNumbers?: readonly string[];
  /** Only devices with these tags. */
  tags?: readonly string[];
  /** Only these OS versions. */
  osVersions?: readonly string[];
  /**
   * Columns to fetch (`specific_columns`); `deviceudid` and `serial_number` are always added
   * because devices are de-duplicated by them. All columns when omitted.
   */
  columns?: readonly DeviceColumn[];
}

/** Filters of {@link Devices.listAll}. */
export type ListAllDevicesParams = Omit<ListDevicesParams, 'os'> & {
  /** OS families to read, in order. @defaultValue ios, mac, tvos, visionos */
  os?: readonly MosyleOs[];
};

/** Where {@link Devices.findBySerial} looks. */
export interface FindBySerialParams {
  /** OS families to search, in order; a serial found in one is not looked for in the next. @defaultValue all four */
  os?: MosyleOs | readonly MosyleOs[];
}

/** What {@link Devices.findBySerial} found. */
export interface FindBySerialResult {
  /** Found devices by (normalised, upper-case) serial number. */
  found: Map<string, Device>;
  /** Serials no listing returned. */
  notFound: string[];
  /** Serials whose lookup request failed, with the error (they may exist). */
  failed: { serialNumber: string; error: unknown }[];
}

/** One device change for {@link Devices.update}. */
export interface DeviceUpdate {
  /** Serial number of the device (required). */
  serialNumber: string;
  /** New device name (applied at the device's next check-in; supervised devices only). */
  name?: string;
  /** New asset tag. */
  assetTag?: string;
  /** Tags to add (merged with the current ones) or, with `replaceTags: true`, the new full set. */
  tags?: readonly string[];
  /** Lock-screen message (Mosyle's `lock` field). */
  lockMessage?: string;
}

/** Options of {@link Devices.update}. */
export interface UpdateDevicesParams {
  /**
   * Send `tags` as the device's whole tag set. By default the current tags are read first and
   * the new ones added, because Mosyle probably replaces the whole set (JCSmillie/MOSBasic clears tags by sending `""`).
   * @defaultValue false
   */
  replaceTags?: boolean;
  /** OS families searched when reading current tags. @defaultValue all four */
  os?: MosyleOs | readonly MosyleOs[];
}

/** Per-serial outcome of {@link Devices.update}. */
export interface DeviceUpdateResult extends ItemResult {
  /**
   * `updated`: Mosyle accepted it; `not-found`: no such serial (tags could not be merged);
   * `rejected`: Mosyle's answer did not list it; `invalid`: refused before sending;
   * `failed`: the request carrying it failed (see `error`).
   */
  status: 'updated' | 'not-found' | 'rejected' | 'invalid' | 'failed';
  /** What was sent for this serial (tags after the merge). */
  sent?: { name?: string; assetTag?: string; tags?: string[]; lockMessage?: string };
}

/** Outcome of {@link Devices.update}. */
export interface UpdateDevicesResult extends ItemsResult {
  /** One entry per input update, in input order. */
  results: DeviceUpdateResult[];
}

/** Options of {@link Devices.confirmUpdate}. */
export interface ConfirmUpdateParams {
  /**
   * How long to keep re-reading, in ms. Mosyle collects device information about hourly and
   * has no "refresh device" command. @defaultValue 3_600_000 (1 h)
   */
  timeoutMs?: number;
  /** First wait between reads, in ms; doubles up to `maxDelayMs`. @defaultValue 60_000 */
  initialDelayMs?: number;
  /** Longest wait between reads, in ms. @defaultValue 600_000 */
  maxDelayMs?: number;
  /** Expect exactly `tags` (as after `replaceTags: true`) instead of at least `tags`. @defaultValue false */
  exactTags?: boolean;
  /** OS families to search. @defaultValue all four */
  os?: MosyleOs | readonly MosyleOs[];
}

/** A device whose change did not show within the timeout. */
export interface UnconfirmedUpdate {
  /** Serial number. */
  serialNumber: string;
  /** `not-visible`: found but not yet changed; `not-found`: no such serial; `lookup-failed`: the last read failed. */
  reason: 'not-visible' | 'not-found' | 'lookup-failed';
  /** What the last read showed, when found. */
  actual?: { name: string | null; assetTag: string | null; tags: string[] };
  /** The last lookup error, for `lookup-failed`. */
  error?: unknown;
}

/** Outcome of {@link Devices.confirmUpdate}. */
export interface ConfirmUpdateResult {
  /** True when every change showed. */
  ok: boolean;
  /** Serials whose name, asset tag and tags show as requested. */
  confirmed: string[];
  /** The others, with the reason. */
  unconfirmed: UnconfirmedUpdate[];
  /** Read passes made. */
  passes: number;
  /** Time spent, in ms (on the client's clock). */
  elapsedMs: number;
}

/** Serial numbers are compared trimmed and upper-case. */
export function normalizeSerial(serial: string): string {
  return serial.trim().toUpperCase();
}

function osList(os: MosyleOs | readonly MosyleOs[] | undefined): readonly MosyleOs[] {
  const list = os === undefined ? MOSYLE_OS_LIST : typeof os === 'string' ? [os] : os;
  for (const o of list) {
    if (!MOSYLE_OS_LIST.includes(o)) {
      throw new InvalidArgumentError('os', `"${String(o)}" is not a Mosyle OS family`, {
        hint: 'Use one of ios, mac, tvos, visionos (not macos, not all).',
      });
    }
  }
  return list;
}

/** Device operations: `client.devices`. */
export class Devices {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /**
   * Lists the devices of one OS family, lazily, page by page. Ends on an empty page, on
   * `DEVICES_NOTFOUND`, or when `rows` devices were seen; de-duplicates by UDID across
   * overlapping pages (page 0 and page 1 may be the same page); stops with
   * `PaginationError` after `maxPages`.
   *
   * @example
   * ```ts
   * for await (const d of client.devices.list({ os: 'ios', columns: ['device_name', 'tags'] })) {
   *   console.log(d.serialNumber, d.name, d.tags);
   * }
   * ```
   */
  list(params: ListDevicesParams, options: RequestOptions = {}): AsyncIterable<Device> {
    if (params?.os === undefined) {
      throw new InvalidArgumentError('os', 'is required: Mosyle lists one OS family per call', {
        hint: 'Pass { os: "ios" } (or mac, tvos, visionos), or use devices.listAll() for every family.',
      });
    }
    const [os] = osList(params.os);
    const filter: Record<string, unknown> = { os };
    if (params.serialNumbers?.length) filter.serial_numbers = [...params.serialNumbers];
    if (params.tags?.length) filter.tags = [...params.tags];
    if (params.osVersions?.length) filter.osversions = [...params.osVersions];
    if (params.columns?.length) {
      filter.specific_columns = [...new Set(['deviceudid', 'serial_number', ...params.columns])];
    }
    const pageSize = this.#ctx.settings.pageSize;
    return listAll(
      this.#ctx,
      {
        path: '/listdevices',
        what: `listdevices (${os})`,
        key: 'devices',
        body: (page) => ({ options: { ...filter, page, ...(pageSize ? { page_size: pageSize } : {}) } }),
        map: (row) => toDevice(row, os as string),
        keyOf: deviceKey,
      },
      options,
    );
  }

  /** Lists the devices of every OS family (ios, mac, tvos, visionos), one after the other. */
  listAll(params: ListAllDevicesParams = {}, options: RequestOptions = {}): AsyncIterable<Device> {
    const list = osList(params.os);
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (const os of list) yield* self.list({ ...params, os }, options);
      },
    };
  }

  /**
   * Finds devices by serial number with filtered listings (`serial_numbers`, a chunk of
   * serials per request), never one call per serial. Serials found in one OS family are not
   * looked for in the next.
   */
  async findBySerial(
    serials: readonly string[],
    params: FindBySerialParams = {},
    options: RequestOptions = {},
  ): Promise<FindBySerialResult> {
    if (!Array.isArray(serials)) throw new InvalidArgumentError('serials', 'expected an array of serial numbers');
    const oses = osList(params.os);
    const wanted = [...new Set(serials.filter((s) => typeof s === 'string' && s.trim() !== '').map(normalizeSerial))];
    const found = new Map<string, Device>();
    const failedErr = new Map<string, unknown>();
    for (const os of oses) {
      const missing = wanted.filter((s) => !found.has(s));
      if (missing.length === 0) break;
      const run = await runBatch(
        chunk(missing, this.#ctx.settings.lookupChunkSize),
        async (batch, _i, { signal }) => {
          const got: Device[] = [];
          for await (const d of this.list({ os, serialNumbers: batch }, { ...options, signal })) got.push(d);
          return got;
        },
        { concurrency: this.#ctx.settings.concurrency, signal: options.signal },
      );
      for (const s of run.succeeded) {
        for (const d of s.value) if (d.serialNumber) found.set(normalizeSerial(d.serialNumber), d);
        for (const serial of s.item) failedErr.delete(serial);
      }
      for (const f of run.failed) for (const serial of f.item) failedErr.set(serial, f.error);
    }
    const failed = [...failedErr]
      .filter(([s]) => !found.has(s))
      .map(([serialNumber, error]) => ({ serialNumber, error }));
    const failedSet = new Set(failed.map((f) => f.serialNumber));
    return { found, notFound: wanted.filter((s) => !found.has(s) && !failedSet.has(s)), failed };
  }

  /**
   * Renames devices and sets asset tags, tags and lock messages in bulk (`POST /devices`,
   * chunks of `updateChunkSize` serials), with one result per input serial.
   *
   * `tags` are merged with each device's current tags (read with {@link findBySerial})
   * unless `replaceTags: true`. A name reaches the device only at its next check-in (about
   * hourly): use {@link confirmUpdate} to know when it shows.
   *
   * @example
   * ```ts
   * const { results } = await client.devices.update([
   *   { serialNumber: 'DMPX1', name: 'Cart A – 01', tags: ['cart-a'] },
   * ]);
   * for (const r of results) if (!r.ok) console.warn(r.id, r.status, r.message);
   * ```
   */
  async update(
    updates: readonly DeviceUpdate[],
    params: UpdateDevicesParams = {},
    options: RequestOptions = {},
  ): Promise<UpdateDevicesResult> {
    if (!Array.isArray(updates)) throw new InvalidArgumentError('updates', 'expected an array of { serialNumber, … }');
    const results: DeviceUpdateResult[] = new Array(updates.length);
    const valid: { index: number; serial: string; update: DeviceUpdate }[] = [];
    const seen = new Set<string>();
    updates.forEach((u, index) => {
      const problem = checkUpdate(u);
      const serial = typeof u?.serialNumber === 'string' ? normalizeSerial(u.serialNumber) : String(u?.serialNumber);
      if (problem) {
        results[index] = { id: serial, ok: false, status: 'invalid', message: problem };
      } else if (seen.has(serial)) {
        results[index] = {
          id: serial,
          ok: false,
          status: 'invalid',
          message: 'this serial appears twice in the same update',
        };
      } else {
        seen.add(serial);
        valid.push({ index, serial, update: u });
      }
    });

    // Read current tags for the devices whose tags are merged.
    const merging = params.replaceTags ? [] : valid.filter((v) => v.update.tags !== undefined);
    let current: FindBySerialResult | undefined;
    if (merging.length > 0) {
      current = await this.findBySerial(
        merging.map((m) => m.serial),
        { os: params.os },
        options,
      );
    }
    const failedLookup = new Map(current?.failed.map((f) => [f.serialNumber, f.error]));

    const toSend: {
      index: number;
      serial: string;
      element: Record<string, unknown>;
      sent: DeviceUpdateResult['sent'];
    }[] = [];
    for (const v of valid) {
      const u = v.update;
      const sent: NonNullable<DeviceUpdateResult['sent']> = {};
      const element: Record<string, unknown> = { serialnumber: u.serialNumber.trim() };
      if (u.name !== undefined) element.name = sent.name = u.name;
      if (u.assetTag !== undefined) element.asset_tag = sent.assetTag = u.assetTag;
      if (u.lockMessage !== undefined) element.lock = sent.lockMessage = u.lockMessage;
      if (u.tags !== undefined) {
        let tags = [...new Set(u.tags.map((t) => t.trim()))];
        if (!params.replaceTags) {
          if (failedLookup.has(v.serial)) {
            results[v.index] = {
              id: v.serial,
              ok: false,
              status: 'failed',
              message: 'reading the current tags failed, so they could not be merged',
              error: failedLookup.get(v.serial),
            };
            continue;
          }
          const device = current?.found.get(v.serial);
          if (!device) {
            results[v.index] = {
              id: v.serial,
              ok: false,
              status: 'not-found',
              message: 'no device with this serial number in Mosyle, so its tags could not be merged',
            };
            continue;
          }
          tags = [...new Set([...device.tags, ...tags])];
        }
        element.tags = tags.join(',');
        sent.tags = tags;
      }
      toSend.push({ index: v.index, serial: v.serial, element, sent });
    }

    const run = await runBatch(
      chunk(toSend, this.#ctx.settings.updateChunkSize),
      async (batch, _i, { signal }) =>
        this.#ctx.call(
          '/devices',
          { elements: batch.map((b) => b.element) },
          // Setting absolute values (name, asset tag, full tag set) is safe to repeat.
          { idempotent: true, what: 'devices update', schema: DevicesUpdateEnvelope },
          { ...options, signal },
        ),
      { concurrency: this.#ctx.settings.concurrency, signal: options.signal },
    );
    for (const s of run.succeeded) {
      const body = s.value as { devices?: unknown };
      const listed = Array.isArray(body?.devices)
        ? new Set(body.devices.map((d) => normalizeSerial(String(d))))
        : undefined;
      for (const b of s.item) {
        results[b.index] =
          listed === undefined || listed.has(b.serial)
            ? { id: b.serial, ok: true, status: 'updated', sent: b.sent }
            : {
                id: b.serial,
                ok: false,
                status: 'rejected',
                message: 'Mosyle answered OK but did not list this serial as updated (unknown serial?)',
                sent: b.sent,
              };
      }
    }
    for (const f of run.failed) {
      for (const b of f.item) {
        results[b.index] = {
          id: b.serial,
          ok: false,
          status: 'failed',
          message: f.error instanceof Error ? f.error.message : String(f.error),
          error: f.error,
          sent: b.sent,
        };
      }
    }
    return { ok: results.every((r) => r.ok), results };
  }

  /**
   * Re-reads the devices until every requested name, asset tag and tag shows, with a bounded
   * backoff (`initialDelayMs` doubling to `maxDelayMs`, until `timeoutMs`). Mosyle has no
   * "refresh device" command and an `OK` from `/devices` does not prove delivery, so reading
   * back is the only confirmation. Uses the client's `sleep` and `now` (injectable).
   */
  async confirmUpdate(
    updates: readonly DeviceUpdate[],
    params: ConfirmUpdateParams = {},
    options: RequestOptions = {},
  ): Promise<ConfirmUpdateResult> {
    const timeoutMs = params.timeoutMs ?? 3_600_000;
    let delay = params.initialDelayMs ?? 60_000;
    const maxDelay = params.maxDelayMs ?? 600_000;
    for (const [name, v] of [
      ['timeoutMs', timeoutMs],
      ['initialDelayMs', delay],
      ['maxDelayMs', maxDelay],
    ] as const) {
      if (typeof v !== 'number' || !(v >= 0))
        throw new InvalidArgumentError(name, `expected a number of ms ≥ 0, got ${String(v)}`);
    }
    const expected = new Map<string, DeviceUpdate>();
    for (const u of updates)
      if (u && typeof u.serialNumber === 'string') expected.set(normalizeSerial(u.serialNumber), u);
    const start = this.#ctx.now();
    const confirmed: string[] = [];
    let pending = new Map<string, UnconfirmedUpdate>();
    for (const s of expected.keys()) pending.set(s, { serialNumber: s, reason: 'not-found' });
    let passes = 0;
    for (;;) {
      passes++;
      const read = await this.findBySerial([...pending.keys()], { os: params.os }, options);
      const next = new Map<string, UnconfirmedUpdate>();
      for (const serial of pending.keys()) {
        const want = expected.get(serial) as DeviceUpdate;
        const d = read.found.get(serial);
        if (!d) {
          const f = read.failed.find((x) => x.serialNumber === serial);
          next.set(
            serial,
            f
              ? { serialNumber: serial, reason: 'lookup-failed', error: f.error }
              : { serialNumber: serial, reason: 'not-found' },
          );
        } else if (shows(d, want, params.exactTags ?? false)) confirmed.push(serial);
        else {
          next.set(serial, {
            serialNumber: serial,
            reason: 'not-visible',
            actual: { name: d.name, assetTag: d.assetTag, tags: d.tags },
          });
        }
      }
      pending = next;
      const elapsed = this.#ctx.now() - start;
      if (pending.size === 0 || elapsed >= timeoutMs) break;
      const wait = Math.min(delay, timeoutMs - elapsed);
      await this.#ctx.sleep(wait, options.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
    return {
      ok: pending.size === 0,
      confirmed,
      unconfirmed: [...pending.values()],
      passes,
      elapsedMs: this.#ctx.now() - start,
    };
  }
}

function shows(d: Device, want: DeviceUpdate, exactTags: boolean): boolean {
  if (want.name !== undefined && d.name !== want.name) return false;
  if (want.assetTag !== undefined && (d.assetTag ?? '') !== want.assetTag) return false;
  if (want.tags !== undefined) {
    const have = new Set(d.tags);
    const need = want.tags.map((t) => t.trim()).filter((t) => t !== '');
    if (!need.every((t) => have.has(t))) return false;
    if (exactTags && have.size !== new Set(need).size) return false;
  }
  return true;
}

/** Why an update cannot be sent, or `undefined` when it is fine. */
function checkUpdate(u: DeviceUpdate): string | undefined {
  if (typeof u !== 'object' || u === null)
    return 'expected an object { serialNumber, name?, assetTag?, tags?, lockMessage? }';
  if (typeof u.serialNumber !== 'string' || u.serialNumber.trim() === '') return 'serialNumber is required';
  if (u.name !== undefined && (typeof u.name !== 'string' || u.name.trim() === ''))
    return 'name must be a non-empty string';
  if (u.assetTag !== undefined && typeof u.assetTag !== 'string') return 'assetTag must be a string';
  if (u.lockMessage !== undefined && typeof u.lockMessage !== 'string') return 'lockMessage must be a string';
  if (u.tags !== undefined) {
    if (!Array.isArray(u.tags)) return 'tags must be an array of strings';
    for (const t of u.tags) {
      if (typeof t !== 'string' || t.trim() === '') return 'tags must be non-empty strings';
      // Mosyle stores tags as one comma-separated string.
      if (t.includes(',')) return `tag "${t}" contains a comma, which Mosyle uses to separate tags`;
    }
  }
  if (u.name === undefined && u.assetTag === undefined && u.tags === undefined && u.lockMessage === undefined) {
    return 'nothing to change: give name, assetTag, tags or lockMessage';
  }
  return undefined;
}

/**
 * `client.sharedDeviceGroups` (carts and classrooms of Shared iPads) and
 * `client.deviceGroups` (dynamic device groups), as Mosyle's API docs describe them. Groups cannot be created
 * or deleted through the API: that stays in the console (My School > Hierarchy).
 */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { readPage, toNumber, unwrap } from '../internal/envelope.js';
import { listAll } from '../internal/list.js';
import { CommandEnvelope, ListEnvelope } from '../internal/schemas.js';
import { MOSYLE_OS_LIST, type MosyleOs } from './device-model.js';
import { type CommandResult, runChunked } from './results.js';

/** A shared device group (a cart or a classroom's Shared iPads). */
export interface SharedDeviceGroup {
  /** `idshareddevicegroup`. */
  id: string;
  /** Group name. */
  name: string | null;
  /** Number of devices (`number_of_devices`), when sent. */
  deviceCount: number | undefined;
  /** UDIDs of the member devices (`assigned_devices`), when sent. */
  udids: string[];
  /** District account (`idaccount`), when sent. */
  accountId: string | null;
  /** The row as Mosyle sent it. */
  raw: Record<string, unknown>;
}

/** A dynamic device group. */
export interface DeviceGroup {
  /** Group id (`id`). */
  id: string;
  /** Group name. */
  name: string | null;
  /** Number of devices (`device_numbers`), when sent. */
  deviceCount: number | undefined;
  /** The row as Mosyle sent it. */
  raw: Record<string, unknown>;
}

/** Members of a device group. */
export interface DeviceGroupMembers {
  /** Group name, when sent. */
  groupName: string | null;
  /** UDIDs of the member devices. */
  udids: string[];
}

function s(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function udidList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v !== '')
    return v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return [];
}

function checkId(name: string, id: unknown): string {
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
    throw new InvalidArgumentError(name, `expected a group id (string or number), got ${JSON.stringify(id)}`);
  }
  return String(id).trim();
}

function checkUdids(name: string, udids: unknown): string[] {
  if (!Array.isArray(udids) || udids.some((u) => typeof u !== 'string' || u.trim() === '')) {
    throw new InvalidArgumentError(name, 'expected an array of device UDIDs (non-empty strings)', {
      hint: 'Groups take UDIDs, not serial numbers: look them up with devices.findBySerial().',
    });
  }
  return udids.map((u: string) => u.trim());
}

function checkOs(os: unknown, allowed: readonly MosyleOs[] = MOSYLE_OS_LIST): MosyleOs {
  if (!allowed.includes(os as MosyleOs)) {
    throw new InvalidArgumentError('os', `expected one of ${allowed.join(', ')}, got ${JSON.stringify(os)}`);
  }
  return os as MosyleOs;
}

/** `client.sharedDeviceGroups`. */
export class SharedDeviceGroups {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Lists shared device groups of one OS family (ios, mac or visionos), lazily. @defaultValue os `ios` */
  list(
    params: { os?: 'ios' | 'mac' | 'visionos' } = {},
    options: RequestOptions = {},
  ): AsyncIterable<SharedDeviceGroup> {
    const os = checkOs(params.os ?? 'ios', ['ios', 'mac', 'visionos']);
    return listAll(
      this.#ctx,
      {
        path: '/listshareddevicegroups',
        what: 'listshareddevicegroups',
        key: ['groups', 'shareddevicegroups', 'shared_device_groups'],
        body: (page) => ({ options: { os, page } }),
        map: (row) => ({
          id: s(row.idshareddevicegroup) ?? s(row.id) ?? '',
          name: s(row.name),
          deviceCount: toNumber(row.number_of_devices),
          udids: udidList(row.assigned_devices),
          accountId: s(row.idaccount),
          raw: row,
        }),
        keyOf: (g) => g.id,
      },
      options,
    );
  }

  /**
   * Adds devices (UDIDs) to a shared device group, in chunks. Devices Mosyle does not know come
   * back in `notFound` (partial success), not as an exception.
   */
  async addDevices(
    groupId: string | number,
    udids: readonly string[],
    options: RequestOptions = {},
  ): Promise<CommandResult> {
    return this.#change(checkId('groupId', groupId), 'add', checkUdids('udids', udids), options);
  }

  /** Removes devices (UDIDs) from a shared device group, in chunks; see {@link addDevices}. */
  async removeDevices(
    groupId: string | number,
    udids: readonly string[],
    options: RequestOptions = {},
  ): Promise<CommandResult> {
    return this.#change(checkId('groupId', groupId), 'remove', checkUdids('udids', udids), options);
  }

  #change(id: string, key: 'add' | 'remove', udids: string[], options: RequestOptions): Promise<CommandResult> {
    return runChunked(
      this.#ctx,
      udids,
      (batch, o) =>
        this.#ctx.call(
          '/shareddevicegroups',
          { operation: 'assign_device', idshareddevicegroup: id, [key]: batch },
          // Membership is a set: adding or removing the same devices twice is harmless.
          { idempotent: true, what: `shareddevicegroups ${key}`, schema: CommandEnvelope },
          o,
        ),
      options,
    );
  }
}

/** `client.deviceGroups`. */
export class DeviceGroups {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Lists the device groups of one OS family, lazily. */
  list(os: MosyleOs, options: RequestOptions = {}): AsyncIterable<DeviceGroup> {
    const family = checkOs(os);
    return listAll(
      this.#ctx,
      {
        path: '/listdevicegroups',
        what: 'listdevicegroups',
        key: ['groups', 'devicegroups'],
        body: (page) => ({ options: { os: family, page } }),
        map: (row) => ({
          id: s(row.id) ?? s(row.idgroup) ?? '',
          name: s(row.name),
          deviceCount: toNumber(row.device_numbers),
          raw: row,
        }),
        keyOf: (g) => g.id,
      },
      options,
    );
  }

  /** The UDIDs in a device group (`/listdevicesbygroup`). */
  async devices(groupId: string | number, options: RequestOptions = {}): Promise<DeviceGroupMembers> {
    const id = checkId('groupId', groupId);
    const body = await this.#ctx.call(
      '/listdevicesbygroup',
      { options: { iddevicegroup: id } },
      { idempotent: true, what: 'listdevicesbygroup', schema: ListEnvelope },
      options,
    );
    const inner = unwrap((body as { response?: unknown })?.response) ?? {};
    const page = readPage(body, ['udids', 'devices', 'deviceudids']);
    return {
      groupName: s(inner.group_name),
      udids: page.items
        .map((u) =>
          typeof u === 'object' && u !== null ? String((u as { deviceudid?: unknown }).deviceudid ?? '') : String(u),
        )
        .filter(Boolean),
    };
  }

  /** Adds and/or removes devices (UDIDs) of a device group, in chunks; partial success is a result. */
  async update(
    groupId: string | number,
    change: { add?: readonly string[]; remove?: readonly string[] },
    options: RequestOptions = {},
  ): Promise<CommandResult> {
    const id = checkId('groupId', groupId);
    const add = change?.add === undefined ? [] : checkUdids('add', change.add);
    const remove = change?.remove === undefined ? [] : checkUdids('remove', change.remove);
    if (add.length === 0 && remove.length === 0) {
      throw new InvalidArgumentError('change', 'give at least one UDID in add or remove');
    }
    const send = (key: 'add' | 'remove') => (batch: string[], o: RequestOptions) =>
      this.#ctx.call(
        '/devicegroups',
        { operation: 'update_devices', idgroup: id, [key]: batch },
        { idempotent: true, what: `devicegroups ${key}`, schema: CommandEnvelope },
        o,
      );
    const parts = [
      add.length ? await runChunked(this.#ctx, add, send('add'), options) : undefined,
      remove.length ? await runChunked(this.#ctx, remove, send('remove'), options) : undefined,
    ].filter((x): x is CommandResult => x !== undefined);
    return mergeResults(parts);
  }
}

/** Merges several chunked results into one. */
export function mergeResults(parts: CommandResult[]): CommandResult {
  const out: CommandResult = { ok: true, accepted: [], notFound: [], failed: [], chunks: [] };
  for (const p of parts) {
    out.accepted.push(...p.accepted);
    out.notFound.push(...p.notFound);
    out.failed.push(...p.failed);
    out.chunks.push(...p.chunks);
  }
  out.ok = parts.every((p) => p.ok);
  return out;
}

/**
 * The public `Device` shape and its parsing from a `/listdevices` row (the `specific_columns` of Mosyle's docs):
 * almost every value is a string, dates are epoch seconds as strings, `tags` is a
 * comma-separated string, and Mosyle adds columns without notice (kept in `raw`).
 */
import { z } from 'zod';

/** An OS family `/listdevices` accepts: one per call, never `macos` or `all`. */
export type MosyleOs = 'ios' | 'mac' | 'tvos' | 'visionos';

/** Every OS family, in the order `devices.listAll()` reads them. */
export const MOSYLE_OS_LIST: readonly MosyleOs[] = Object.freeze(['ios', 'mac', 'tvos', 'visionos']);

/** Documented `/listdevices` columns (`specific_columns`); any other string passes too. */
export type DeviceColumn =
  | 'deviceudid'
  | 'serial_number'
  | 'device_name'
  | 'device_model'
  | 'device_model_name'
  | 'model_name'
  | 'os'
  | 'osversion'
  | 'asset_tag'
  | 'tags'
  | 'enrollment_type'
  | 'date_last_beat'
  | 'date_info'
  | 'status'
  | 'userid'
  | 'username'
  | 'useremail'
  | 'usertype'
  | 'SharedCartName'
  | 'lostmode_status'
  | 'is_supervised'
  | 'location'
  | 'idaccount'
  | 'wifi_mac_address'
  | 'last_ip_beat'
  | (string & {});

/** A device as `devices.list()` returns it. */
export interface Device {
  /** Device UDID (`deviceudid`); the key devices are de-duplicated by. */
  udid: string;
  /** Serial number; `null` for user-enrolled devices, which report none. */
  serialNumber: string | null;
  /** Device name as Mosyle last collected it (renames show up after the next check-in). */
  name: string | null;
  /** Model identifier or name (`device_model`, else `device_model_name`/`model_name`). */
  model: string | null;
  /** OS family (`ios`, `mac`, `tvos`, `visionos`). */
  os: MosyleOs | (string & {});
  /** OS version, e.g. `"17.5.1"`. */
  osVersion: string | null;
  /** Asset tag, when set. */
  assetTag: string | null;
  /** Tags (Mosyle-generated tags excluded), split from Mosyle's comma-separated string. */
  tags: string[];
  /** Enrollment type (contains `SHARED` for Shared iPads; other values unconfirmed). */
  enrollmentType: string | null;
  /** Last check-in (`date_last_beat`), when known. */
  lastSeenAt?: Date;
  /** Assigned user's school id (`userid`). */
  userId: string | null;
  /** Assigned user's name (`username`). */
  userName: string | null;
  /** Assigned user's email (`useremail`). */
  userEmail: string | null;
  /** Assigned user's type (`usertype`, e.g. `STUDENT`). */
  userType: string | null;
  /** Every column as Mosyle sent it, including the ones not mapped above. */
  raw: Record<string, unknown>;
}

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

/** The columns `Device` reads; everything passes through (`looseObject` semantics). */
export const DeviceRow = z
  .object({
    deviceudid: cell,
    serial_number: cell,
    device_name: cell,
    device_model: cell,
    device_model_name: cell,
    model_name: cell,
    os: cell,
    osversion: cell,
    asset_tag: cell,
    tags: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
    enrollment_type: cell,
    date_last_beat: cell,
    userid: cell,
    username: cell,
    useremail: cell,
    usertype: cell,
  })
  .passthrough();

function str(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Splits Mosyle's comma-separated tags (an array is accepted too), trimmed, empties dropped. */
export function parseTags(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return parts.map((t) => t.trim()).filter((t) => t !== '');
}

/** Epoch seconds (number or numeric string) to a Date; `undefined` for empty or zero. */
export function parseEpoch(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return new Date(n * 1000);
}

/** Builds a {@link Device} from one `/listdevices` row; a row that is not an object yields `undefined`. */
export function toDevice(row: Record<string, unknown>, os: string): Device {
  const parsed = DeviceRow.safeParse(row);
  const r = (parsed.success ? parsed.data : row) as Record<string, unknown>;
  const lastSeenAt = parseEpoch(r.date_last_beat);
  const device: Device = {
    udid: str(r.deviceudid) ?? '',
    serialNumber: str(r.serial_number),
    name: str(r.device_name),
    model: str(r.device_model) ?? str(r.device_model_name) ?? str(r.model_name),
    os: str(r.os) ?? os,
    osVersion: str(r.osversion),
    assetTag: str(r.asset_tag),
    tags: parseTags(r.tags),
    enrollmentType: str(r.enrollment_type),
    userId: str(r.userid),
    userName: str(r.username),
    userEmail: str(r.useremail),
    userType: str(r.usertype),
    raw: row,
  };
  if (lastSeenAt) device.lastSeenAt = lastSeenAt;
  return device;
}

/** The de-duplication key of a device: its UDID, else its serial number, else the row. */
export function deviceKey(d: Device): string {
  return d.udid !== '' ? `u:${d.udid}` : d.serialNumber ? `s:${d.serialNumber}` : `r:${JSON.stringify(d.raw)}`;
}

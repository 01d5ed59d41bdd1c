/** `client.adminLogs`: what admins did in the console and through the API (`/adminlogs`). */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { listAll } from '../internal/list.js';
import { parseEpoch } from './device-model.js';

/** One admin log entry (Mosyle's keys vary in case; everything is kept in `raw`). */
export interface AdminLogEntry {
  /** When it happened, when a date field was found. */
  date?: Date;
  /** Admin user id, when sent. */
  userId: string | null;
  /** Admin name or email, when sent. */
  user: string | null;
  /** What was done, when sent. */
  action: string | null;
  /** The row as Mosyle sent it. */
  raw: Record<string, unknown>;
}

function pickString(row: Record<string, unknown>, keys: string[]): string | null {
  for (const k of keys) {
    const v = row[k];
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
  }
  return null;
}

function toSeconds(name: string, d: Date | number): number {
  const ms = d instanceof Date ? d.getTime() : d;
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new InvalidArgumentError(name, 'expected a Date or ms since the epoch');
  return Math.floor(ms / 1000);
}

/** `client.adminLogs`. */
export class AdminLogs {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Lists admin log entries between `from` and `to` (Dates or ms), lazily. */
  list(
    params: { from: Date | number; to: Date | number; userIds?: readonly number[] },
    options: RequestOptions = {},
  ): AsyncIterable<AdminLogEntry> {
    const start = toSeconds('from', params?.from);
    const end = toSeconds('to', params?.to);
    if (end < start) throw new InvalidArgumentError('to', 'is before from');
    const filter: Record<string, unknown> = { start_date: start, end_date: end };
    if (params.userIds?.length) filter.idusers = [...params.userIds];
    return listAll(
      this.#ctx,
      {
        path: '/adminlogs',
        what: 'adminlogs',
        key: ['logs', 'adminlogs', 'admin_logs', 'data'],
        // Flat body: `filter_options` (snake_case) and `page` at the top level.
        body: (page) => ({ filter_options: filter, page }),
        map: (row) => {
          const entry: AdminLogEntry = {
            userId: pickString(row, ['idusers', 'iduser', 'UserID', 'user_id']),
            user: pickString(row, ['user', 'username', 'UserName', 'email', 'E-mail']),
            action: pickString(row, ['action', 'Action', 'description', 'Description', 'log']),
            raw: row,
          };
          const date = parseEpoch(row.date ?? row.Date ?? row.date_created ?? row.timestamp);
          if (date) entry.date = date;
          return entry;
        },
        keyOf: (e) => JSON.stringify(e.raw),
      },
      options,
    );
  }
}

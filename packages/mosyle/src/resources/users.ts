/**
 * `client.users`: list, save, update, delete and assign a device to a user (Mosyle's `/listusers`, `/users` docs).
 * Mosyle creates users with type codes `S`/`T`/`STAFF` but lists them as
 * `STUDENT`/`TEACHER`/`STAFF`; this client accepts either on input.
 */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { listAll } from '../internal/list.js';
import { checkText, type Prepared, sendItems } from './items.js';
import type { ItemsResult } from './results.js';

/** User types as Mosyle lists them (open: new ones pass). */
export type MosyleUserType =
  | 'STUDENT'
  | 'TEACHER'
  | 'STAFF'
  | 'LOCATION_LEADER'
  | 'ADMIN'
  | 'ACCOUNT_ADMIN'
  | 'DISTRICT_ADMIN'
  | (string & {});

/** A user as `users.list()` returns it. */
export interface MosyleUser {
  /** The school's user id (e.g. `"stu-1"`, `"user.staff.1"`). */
  id: string;
  /** Full name. */
  name: string | null;
  /** Email. */
  email: string | null;
  /** Type (`STUDENT`, `TEACHER`…). */
  type: MosyleUserType | null;
  /** Managed Apple ID. */
  managedAppleId: string | null;
  /** Serial numbers of the assigned devices, when sent. */
  serialNumbers: string[];
  /** The row as Mosyle sent it. */
  raw: Record<string, unknown>;
}

/** A location of a user (a student needs its grade level). */
export interface UserLocation {
  /** Location name (≤ 50 characters). */
  name: string;
  /** Grade level (≤ 50 characters); required for students. */
  gradeLevel?: string;
}

/** A user to create (`users.save`). */
export interface UserInput {
  /** The school's unique user id (≤ 255 characters). */
  id: string;
  /** Full name (≤ 100 characters). */
  name: string;
  /** `STUDENT`/`TEACHER`/`STAFF` (or Mosyle's create codes `S`/`T`/`STAFF`). */
  type: 'STUDENT' | 'TEACHER' | 'STAFF' | 'S' | 'T';
  /** Email (≤ 255; required for teachers). */
  email?: string;
  /** Managed Apple ID. */
  managedAppleId?: string;
  /** Locations (at least one). */
  locations: readonly UserLocation[];
  /** Send Mosyle's welcome email. @defaultValue false */
  welcomeEmail?: boolean;
  /** District account id (district accounts only). */
  accountId?: number;
}

/** Changes to an existing user (`users.update`): `id` plus any field. */
export type UserUpdate = Pick<UserInput, 'id'> & Partial<Omit<UserInput, 'id'>>;

const TYPE_CODE: Record<string, string> = { STUDENT: 'S', S: 'S', TEACHER: 'T', T: 'T', STAFF: 'STAFF' };

function s(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function element(u: Partial<UserInput>, operation: 'save' | 'update'): Prepared {
  const id = typeof u?.id === 'string' ? u.id.trim() : String(u?.id);
  const save = operation === 'save';
  const problem =
    checkText('id', u?.id, 255, true) ??
    checkText('name', u.name, 100, save) ??
    checkText('email', u.email, 255, false) ??
    (u.type !== undefined && !(u.type in TYPE_CODE)
      ? `type must be STUDENT, TEACHER or STAFF, got "${String(u.type)}"`
      : undefined) ??
    (save && u.type === undefined ? 'type is required' : undefined) ??
    (save && (u.type === 'TEACHER' || u.type === 'T') && !u.email ? 'email is required for teachers' : undefined) ??
    (save && (!Array.isArray(u.locations) || u.locations.length === 0)
      ? 'at least one location is required'
      : undefined) ??
    (Array.isArray(u.locations)
      ? u.locations
          .map(
            (l) =>
              checkText('location name', l?.name, 50, true) ??
              checkText('grade level', l?.gradeLevel, 50, (u.type === 'STUDENT' || u.type === 'S') && save),
          )
          .find((p) => p !== undefined)
      : undefined);
  if (problem) return { id, invalid: problem };
  const e: Record<string, unknown> = { operation, id };
  if (u.name !== undefined) e.name = u.name;
  if (u.type !== undefined) e.type = TYPE_CODE[u.type];
  if (u.email !== undefined) e.email = u.email;
  if (u.managedAppleId !== undefined) e.managed_appleid = u.managedAppleId;
  if (u.locations !== undefined) {
    e.locations = u.locations.map((l) =>
      l.gradeLevel === undefined ? { name: l.name } : { name: l.name, grade_level: l.gradeLevel },
    );
  }
  if (save || u.welcomeEmail !== undefined) e.welcome_email = u.welcomeEmail ? 1 : 0;
  if (u.accountId !== undefined) e.idaccount = u.accountId;
  return { id, element: e };
}

function checkArray(name: string, v: unknown): void {
  if (!Array.isArray(v)) throw new InvalidArgumentError(name, 'expected an array');
}

/** `client.users`. */
export class Users {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Lists users, lazily, optionally filtered by type or school ids. */
  list(
    params: { types?: readonly MosyleUserType[]; identifiers?: readonly string[]; columns?: readonly string[] } = {},
    options: RequestOptions = {},
  ): AsyncIterable<MosyleUser> {
    const filter: Record<string, unknown> = {};
    if (params.types?.length) filter.types = [...params.types];
    if (params.identifiers?.length) filter.identifiers = [...params.identifiers];
    if (params.columns?.length) filter.specific_columns = [...new Set(['id', ...params.columns])];
    return listAll(
      this.#ctx,
      {
        path: '/listusers',
        what: 'listusers',
        key: 'users',
        body: (page) => ({ options: { ...filter, page } }),
        map: (row) => ({
          id: s(row.id) ?? '',
          name: s(row.name),
          email: s(row.email) ?? s(row['E-mail']),
          type: s(row.type),
          managedAppleId: s(row.managedappleid) ?? s(row.managed_appleid),
          serialNumbers: Array.isArray(row.serial_number)
            ? row.serial_number.map(String)
            : typeof row.serial_number === 'string' && row.serial_number !== ''
              ? row.serial_number.split(',').map((x) => x.trim())
              : [],
          raw: row,
        }),
        keyOf: (u) => (u.id !== '' ? u.id : JSON.stringify(u.raw)),
      },
      options,
    );
  }

  /** Creates users (`operation: "save"`), with one result per user. */
  async save(users: readonly UserInput[], options: RequestOptions = {}): Promise<ItemsResult> {
    checkArray('users', users);
    return sendItems(
      this.#ctx,
      '/users',
      'users save',
      users.map((u) => element(u, 'save')),
      options,
    );
  }

  /** Updates users (`operation: "update"`): `id` plus the fields to change. */
  async update(users: readonly UserUpdate[], options: RequestOptions = {}): Promise<ItemsResult> {
    checkArray('users', users);
    return sendItems(
      this.#ctx,
      '/users',
      'users update',
      users.map((u) => element(u, 'update')),
      options,
    );
  }

  /** Deletes users by school id. */
  async delete(ids: readonly string[], options: RequestOptions = {}): Promise<ItemsResult> {
    checkArray('ids', ids);
    const prepared: Prepared[] = ids.map((id) => {
      const problem = checkText('id', id, 255, true);
      return problem
        ? { id: String(id), invalid: problem }
        : { id: id.trim(), element: { operation: 'delete', id: id.trim() } };
    });
    return sendItems(this.#ctx, '/users', 'users delete', prepared, options);
  }

  /**
   * Assigns devices to users (1:1). Shared iPads cannot be assigned; devices Mosyle does not
   * know come back as `DEVICES_NOTFOUND`, unknown users as `UNKNOWN_USER`, per item.
   */
  async assignDevice(
    assignments: readonly { id: string; serialNumber: string }[],
    options: RequestOptions = {},
  ): Promise<ItemsResult> {
    checkArray('assignments', assignments);
    const prepared: Prepared[] = assignments.map((a) => {
      const problem = checkText('id', a?.id, 255, true) ?? checkText('serialNumber', a?.serialNumber, 64, true);
      const id = typeof a?.id === 'string' ? a.id.trim() : String(a?.id);
      return problem
        ? { id, invalid: problem }
        : { id, element: { operation: 'assign_device', id, serial_number: a.serialNumber.trim() } };
    });
    return sendItems(this.#ctx, '/users', 'users assign_device', prepared, options);
  }
}

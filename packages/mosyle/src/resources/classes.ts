/** `client.classes`: list, save and delete classes (Mosyle's `/listclasses`, `/classes` docs). */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { listAll } from '../internal/list.js';
import { checkText, type Prepared, sendItems } from './items.js';
import type { ItemsResult } from './results.js';

/** A class as `classes.list()` returns it. */
export interface MosyleClass {
  /** The school's class id. */
  id: string;
  /** Mosyle's internal id (`idclass`), when sent. */
  mosyleId: string | null;
  /** Class name (`class_name` or `name`). */
  name: string | null;
  /** Course name. */
  courseName: string | null;
  /** Teacher (id or name, as Mosyle sends it). */
  teacher: string | null;
  /** Location names. */
  locations: string[];
  /** Student ids, when sent. */
  students: string[];
  /** The row as Mosyle sent it. */
  raw: Record<string, unknown>;
}

/** A class to create or replace (`classes.save`). */
export interface ClassInput {
  /** The school's class id (≤ 100 characters). */
  id: string;
  /** Course name (≤ 50). */
  courseName: string;
  /** Class name (≤ 50). */
  className: string;
  /** Location name (≤ 50); Mosyle creates it when it does not exist. */
  location: string;
  /** Teacher's user id. */
  teacherId?: string;
  /** Student user ids. */
  students?: readonly string[];
  /** Room (≤ 50). */
  room?: string;
  /** Coordinator user ids. */
  coordinators?: readonly string[];
  /** Platform. @defaultValue `'ios'` */
  platform?: 'ios' | 'mac';
}

function s(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function list(v: unknown): string[] {
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === 'object' && x !== null
          ? String((x as { name?: unknown; id?: unknown }).name ?? (x as { id?: unknown }).id ?? '')
          : String(x),
      )
      .filter(Boolean);
  if (typeof v === 'string' && v !== '') return v.split(',').map((x) => x.trim());
  return [];
}

/** `client.classes`. */
export class Classes {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Lists classes, lazily. */
  list(options: RequestOptions = {}): AsyncIterable<MosyleClass> {
    return listAll(
      this.#ctx,
      {
        path: '/listclasses',
        what: 'listclasses',
        key: 'classes',
        body: (page) => ({ options: { page } }),
        map: (row) => ({
          id: s(row.id) ?? '',
          mosyleId: s(row.idclass),
          name: s(row.class_name) ?? s(row.name),
          courseName: s(row.course_name),
          teacher: s(row.teacher),
          locations: list(row.locations ?? row.location),
          students: list(row.students),
          raw: row,
        }),
        keyOf: (c) => (c.id !== '' ? c.id : JSON.stringify(c.raw)),
      },
      options,
    );
  }

  /** Creates or replaces classes (`operation: "save"`), one result per class. */
  async save(classes: readonly ClassInput[], options: RequestOptions = {}): Promise<ItemsResult> {
    if (!Array.isArray(classes)) throw new InvalidArgumentError('classes', 'expected an array');
    const prepared: Prepared[] = classes.map((c) => {
      const id = typeof c?.id === 'string' ? c.id.trim() : String(c?.id);
      const problem =
        checkText('id', c?.id, 100, true) ??
        checkText('courseName', c.courseName, 50, true) ??
        checkText('className', c.className, 50, true) ??
        checkText('location', c.location, 50, true) ??
        checkText('room', c.room, 50, false) ??
        (c.platform !== undefined && c.platform !== 'ios' && c.platform !== 'mac'
          ? 'platform must be ios or mac'
          : undefined);
      if (problem) return { id, invalid: problem };
      const e: Record<string, unknown> = {
        operation: 'save',
        id,
        course_name: c.courseName,
        class_name: c.className,
        location: c.location,
      };
      if (c.teacherId !== undefined) e.idteacher = c.teacherId;
      if (c.students !== undefined) e.students = [...c.students];
      if (c.room !== undefined) e.room = c.room;
      if (c.coordinators !== undefined) e.coordinators = [...c.coordinators];
      if (c.platform !== undefined) e.platform = c.platform;
      return { id, element: e };
    });
    return sendItems(this.#ctx, '/classes', 'classes save', prepared, options);
  }

  /** Deletes classes by school id. */
  async delete(ids: readonly string[], options: RequestOptions = {}): Promise<ItemsResult> {
    if (!Array.isArray(ids)) throw new InvalidArgumentError('ids', 'expected an array');
    const prepared: Prepared[] = ids.map((id) => {
      const problem = checkText('id', id, 100, true);
      return problem
        ? { id: String(id), invalid: problem }
        : { id: id.trim(), element: { operation: 'delete', id: id.trim() } };
    });
    return sendItems(this.#ctx, '/classes', 'classes delete', prepared, options);
  }
}

/**
 * zod schemas of Mosyle's reply envelopes, as Mosyle's API docs show them. They are deliberately loose:
 * unknown fields pass, statuses are open enums, counts may be strings or numbers, and
 * `response` may be an object or an array. A reply that breaks them (e.g. `devices_notfound`
 * not a list) fails with core's `ResponseValidationError`, which names the path.
 */
import { looseObject, openEnum } from '@schoolmdm/core';
import { z } from 'zod';

const Count = z.union([z.string(), z.number()]);
const Id = z.union([z.string(), z.number()]);

/** Mosyle's statuses (open: new ones pass). */
export const MosyleStatus = openEnum([
  'OK',
  'COMMAND_SENT',
  'COMMAND_CLEARED',
  'DEVICES_NOTFOUND',
  'MISSING_DATA',
  'INVALID_DATA',
  'ERROR',
  'NOT_ALLOWED',
  'ACCOUNT_NOTFOUND',
  'UNKNOWN_USER',
  'INVALID_JSON',
  'Unauthorized',
]);

const PageObject = looseObject({
  rows: Count.optional().nullable(),
  total_rows: Count.optional().nullable(),
  page: Count.optional().nullable(),
  page_size: Count.optional().nullable(),
  status: MosyleStatus.optional(),
});

/** `response` as given, or a lone object as a one-element array (so issues name exact paths). */
const asArray = (v: unknown): unknown => (v === undefined || v === null || Array.isArray(v) ? v : [v]);

/** A listing: `response` as a page object or as an array holding one (or rows at the top). */
export const ListEnvelope = looseObject({
  status: z.string().optional(),
  response: z.preprocess(asArray, z.array(PageObject).optional().nullable()),
});

const CommandAnswer = looseObject({
  status: MosyleStatus.optional(),
  info: z.union([z.string(), z.number()]).optional().nullable(),
  devices_notfound: z.array(Id).optional().nullable(),
});

/** A command or group change: `response` as an array of answers (or one answer). */
export const CommandEnvelope = looseObject({
  status: z.string().optional(),
  response: z.preprocess(asArray, z.array(CommandAnswer).optional().nullable()),
});

/** `/users`, `/classes`: per-element statuses, or a bare `status`/`uuid`. */
export const ItemsEnvelope = looseObject({
  status: z.string().optional(),
  elements: z
    .array(
      looseObject({
        id: Id.optional().nullable(),
        status: MosyleStatus.optional(),
        info: z.string().optional().nullable(),
      }),
    )
    .optional(),
});

/** `/devices` update: the serials updated. */
export const DevicesUpdateEnvelope = looseObject({
  status: z.string().optional(),
  devices: z.array(Id).optional(),
});

/**
 * Per-item batches (`/users`, `/classes`): `elements[]` in, `elements[{id, status}]` (or just
 * `{status: "OK"}`) out. One bad item is reported with its status and never fails the others.
 */
import { chunk, type RequestOptions, runBatch } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { asObject } from '../internal/envelope.js';
import { ItemsEnvelope } from '../internal/schemas.js';
import type { ItemResult, ItemsResult } from './results.js';

/** An item checked and turned into a Mosyle element, or refused with a reason. */
export type Prepared = { id: string; element: Record<string, unknown> } | { id: string; invalid: string };

/** Sends prepared elements in chunks and returns one result per item, in input order. */
export async function sendItems(
  ctx: MosyleContext,
  path: string,
  what: string,
  prepared: Prepared[],
  options: RequestOptions,
): Promise<ItemsResult> {
  const results: ItemResult[] = new Array(prepared.length);
  const toSend: { index: number; id: string; element: Record<string, unknown> }[] = [];
  prepared.forEach((p, index) => {
    if ('invalid' in p) results[index] = { id: p.id, ok: false, status: 'invalid', message: p.invalid };
    else toSend.push({ index, id: p.id, element: p.element });
  });
  const run = await runBatch(
    chunk(toSend, ctx.settings.updateChunkSize),
    async (batch, _i, { signal }) =>
      ctx.call(
        path,
        { elements: batch.map((b) => b.element) },
        { idempotent: false, what, schema: ItemsEnvelope },
        { ...options, signal },
      ),
    { concurrency: ctx.settings.concurrency, signal: options.signal },
  );
  for (const s of run.succeeded) {
    const top = asObject(s.value) ?? {};
    const elements = Array.isArray(top.elements) ? top.elements.map((e) => asObject(e) ?? {}) : undefined;
    s.item.forEach((b, i) => {
      // Mosyle answers one element per element sent: match by position, by id otherwise.
      const e =
        elements?.length === s.item.length
          ? elements[i]
          : elements?.find((x) => x.id !== undefined && String(x.id) === b.id);
      const status = typeof e?.status === 'string' ? e.status : 'OK';
      const ok = status === 'OK';
      const info = typeof e?.info === 'string' ? e.info : typeof e?.message === 'string' ? e.message : undefined;
      results[b.index] = ok
        ? { id: b.id, ok, status }
        : { id: b.id, ok, status, message: info ?? `Mosyle answered ${status}` };
    });
  }
  for (const f of run.failed) {
    for (const b of f.item) {
      results[b.index] = {
        id: b.id,
        ok: false,
        status: 'failed',
        message: f.error instanceof Error ? f.error.message : String(f.error),
        error: f.error,
      };
    }
  }
  return { ok: results.every((r) => r.ok), results };
}

/** A length-capped string check; returns the problem or `undefined`. */
export function checkText(name: string, value: unknown, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null) return required ? `${name} is required` : undefined;
  if (typeof value !== 'string' || value.trim() === '') return `${name} must be a non-empty string`;
  if (value.length > max) return `${name} is longer than Mosyle's ${max}-character limit (${value.length})`;
  return undefined;
}

/**
 * Result shapes shared by the resources: batches report per device or per item; partial
 * success (`COMMAND_SENT` with `devices_notfound`) is a result, not an exception.
 */
import { chunk, type RequestOptions, runBatch } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { readResults } from '../internal/envelope.js';

/** One request of a chunked command, as Mosyle answered it. */
export interface CommandChunkResult {
  /** The UDIDs (or group ids) this request carried. */
  devices: string[];
  /** Mosyle's inner status, e.g. `COMMAND_SENT`, `COMMAND_CLEARED`, `OK`, `ERROR`. */
  status: string | undefined;
  /** Mosyle's `info` (e.g. `"Command sent successfully."`, or `"110"` for group updates). */
  info: string | undefined;
  /** Devices Mosyle did not find (`devices_notfound`). */
  notFound: string[];
}

/**
 * The outcome of a command or group change over many devices. `accepted` + `notFound` +
 * `failed[].devices` covers every device passed in.
 */
export interface CommandResult {
  /** True when every device was accepted (none missing, no request failed). */
  ok: boolean;
  /** Devices Mosyle accepted. */
  accepted: string[];
  /** Devices Mosyle reported as not found (partial success). */
  notFound: string[];
  /** Requests that failed, with their devices and the typed error. */
  failed: { devices: string[]; error: unknown }[];
  /** Every request's answer, in order. */
  chunks: CommandChunkResult[];
}

/** Reads one command answer: `response: [{status, info, devices_notfound}]`, wrapped or not. */
export function readCommandAnswer(body: unknown, devices: string[]): CommandChunkResult {
  const results = readResults(body);
  const notFound = new Set<string>();
  let status: string | undefined;
  let info: string | undefined;
  for (const r of results) {
    if (typeof r.status === 'string') status ??= r.status;
    if (typeof r.info === 'string' || typeof r.info === 'number') info ??= String(r.info);
    const nf = r.devices_notfound;
    if (Array.isArray(nf)) for (const d of nf) notFound.add(String(d));
  }
  if (status === undefined && typeof (body as { status?: unknown })?.status === 'string') {
    status = (body as { status: string }).status;
  }
  return { devices, status, info, notFound: devices.filter((d) => notFound.has(d)) };
}

/**
 * Sends one request per chunk of `devices` (at most `ctx.settings.concurrency` at once) and
 * merges the answers. A failed request is reported with its devices; the others still run.
 */
export async function runChunked(
  ctx: MosyleContext,
  devices: readonly string[],
  send: (chunk: string[], options: RequestOptions) => Promise<unknown>,
  options: RequestOptions = {},
): Promise<CommandResult> {
  const unique = [...new Set(devices)];
  const batches = chunk(unique, ctx.settings.commandChunkSize);
  const run = await runBatch(
    batches,
    async (batch, _i, { signal }) => readCommandAnswer(await send(batch, { ...options, signal }), batch),
    { concurrency: ctx.settings.concurrency, signal: options.signal },
  );
  const result: CommandResult = { ok: true, accepted: [], notFound: [], failed: [], chunks: [] };
  for (const s of run.succeeded) {
    const nf = new Set(s.value.notFound);
    result.chunks.push(s.value);
    result.notFound.push(...s.value.notFound);
    result.accepted.push(...s.item.filter((d) => !nf.has(d)));
  }
  for (const f of run.failed) result.failed.push({ devices: f.item, error: f.error });
  result.ok = result.notFound.length === 0 && result.failed.length === 0;
  return result;
}

/** One item of a per-item batch (users, classes, device updates). */
export interface ItemResult<K extends string = string> {
  /** The item's key (user id, class id, serial number). */
  id: K;
  /** Whether Mosyle accepted it. */
  ok: boolean;
  /** Mosyle's per-item status (`OK`, `UNKNOWN_USER`…), or this SDK's (`invalid`, `failed`). */
  status: string;
  /** What went wrong, in words, when `ok` is false. */
  message?: string;
  /** The typed error, when the request carrying this item failed. */
  error?: unknown;
}

/** The outcome of a per-item batch. */
export interface ItemsResult<K extends string = string> {
  /** True when every item succeeded. */
  ok: boolean;
  /** One entry per input item, in input order. */
  results: ItemResult<K>[];
}

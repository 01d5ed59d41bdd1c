/** `client.assets`: the apps and books the organisation holds licences for, and (dis)associating them. */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import { createList } from '../internal/list.js';
import type { Session } from '../internal/session.js';
import { type Asset, AssetsPage, EventResponse } from '../schemas.js';
import type { AppsAndBooksList, AssetRef, ListAssetsParams, ManageAssetsParams } from '../types.js';

/** The assets resource. */
export class AssetsResource {
  readonly #session: Session;

  /** @internal Use `client.assets`. */
  constructor(session: Session) {
    this.#session = session;
  }

  /**
   * Every asset (`GET assets`), page by page, up to 5 pages in parallel, in order.
   *
   * @example
   * ```ts
   * for await (const app of client.assets.list({ productType: 'App' })) {
   *   console.log(app.adamId, app.availableCount, 'of', app.totalCount, 'free');
   * }
   * ```
   */
  list(params: ListAssetsParams = {}, options: RequestOptions = {}): AppsAndBooksList<Asset> {
    return createList(
      this.#session,
      {
        path: 'assets',
        query: {
          adamId: params.adamId,
          pricingParam: params.pricingParam,
          productType: params.productType,
          deviceAssignable: params.deviceAssignable,
          revocable: params.revocable,
          maxAvailableCount: params.maxAvailableCount,
          minAvailableCount: params.minAvailableCount,
        },
        schema: AssetsPage,
        items: (page) => page.assets,
        resource: 'assets',
        stopOnVersionChange: false,
      },
      options,
    );
  }

  /**
   * Gives licences of `assets` to the devices `serialNumbers` (`POST assets/associate`).
   * Apple does it asynchronously: wait with `client.events.waitUntilDone(eventId)` and read
   * per-serial failures (9709: not enough licences) there. A device that already holds the
   * licence keeps it, so the request is safe to repeat and is retried after 9646 and 5xx.
   *
   * @returns the event id.
   * @throws InvalidArgumentError before any request for empty or duplicate serial numbers, or
   *   more assets or serial numbers than the limits allow (`maxAssets`, `maxSerialNumbers`).
   */
  async associate(params: ManageAssetsParams, options: RequestOptions = {}): Promise<string> {
    return this.#manage('associate', params, options);
  }

  /**
   * Takes licences of `assets` back from the devices `serialNumbers` (`POST assets/disassociate`),
   * asynchronously like {@link AssetsResource.associate}.
   *
   * @returns the event id.
   */
  async disassociate(params: ManageAssetsParams, options: RequestOptions = {}): Promise<string> {
    return this.#manage('disassociate', params, options);
  }

  async #manage(
    action: 'associate' | 'disassociate',
    params: ManageAssetsParams,
    options: RequestOptions,
  ): Promise<string> {
    // The advertised limits decide how many serials fit in one call: read them first.
    await this.#session.ensureLimits(options.signal);
    const body = manageBody(params, this.#session.limits);
    const response = await this.#session.call(
      {
        method: 'POST',
        path: `assets/${action}`,
        body,
        schema: EventResponse,
        what: `${action} response`,
        // Associating a licence a device already holds, or removing one it does not, changes
        // nothing: repeating after a 9646 or a 5xx is safe.
        idempotent: true,
      },
      options,
    );
    return response.eventId;
  }
}

function manageBody(
  params: ManageAssetsParams,
  limits: { maxAssets: number; maxSerialNumbers: number },
): { assets: { adamId: string; pricingParam: string }[]; serialNumbers: string[] } {
  if (typeof params !== 'object' || params === null) {
    throw new InvalidArgumentError('params', 'expected { assets, serialNumbers }');
  }
  if (!Array.isArray(params.assets) || params.assets.length === 0) {
    throw new InvalidArgumentError('assets', 'expected a non-empty array of adamIds or { adamId, pricingParam }');
  }
  const assets = params.assets.map((a, i) => assetRef(a, i));
  const keys = new Set<string>();
  for (const a of assets) {
    const key = `${a.adamId}/${a.pricingParam}`;
    if (keys.has(key))
      throw new InvalidArgumentError('assets', `asset ${a.adamId} (${a.pricingParam}) is listed twice`);
    keys.add(key);
  }
  if (assets.length > limits.maxAssets) {
    throw new InvalidArgumentError(
      'assets',
      `${assets.length} assets in one call; the service allows ${limits.maxAssets}`,
      {
        hint: 'Split the assets into calls of at most maxAssets (see client.limits).',
      },
    );
  }
  if (!Array.isArray(params.serialNumbers) || params.serialNumbers.length === 0) {
    throw new InvalidArgumentError('serialNumbers', 'expected a non-empty array of serial numbers');
  }
  const seen = new Set<string>();
  params.serialNumbers.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') {
      throw new InvalidArgumentError(`serialNumbers[${i}]`, 'expected a non-empty string');
    }
    if (seen.has(s)) throw new InvalidArgumentError(`serialNumbers[${i}]`, `"${s}" is listed twice`);
    seen.add(s);
  });
  if (seen.size > limits.maxSerialNumbers) {
    throw new InvalidArgumentError(
      'serialNumbers',
      `${seen.size} serial numbers in one call; the service allows ${limits.maxSerialNumbers}`,
      { hint: 'Split them with chunk(serialNumbers, client.limits.maxSerialNumbers) from @schoolmdm/core.' },
    );
  }
  return { assets, serialNumbers: [...seen] };
}

function assetRef(ref: AssetRef, index: number): { adamId: string; pricingParam: string } {
  const adamId = typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null ? ref.adamId : undefined;
  if (typeof adamId !== 'string' || !/^\d+$/.test(adamId)) {
    throw new InvalidArgumentError(`assets[${index}]`, 'expected an adamId (digits) or { adamId, pricingParam }');
  }
  const pricingParam = typeof ref === 'object' && ref.pricingParam ? ref.pricingParam : 'STDQ';
  return { adamId, pricingParam };
}

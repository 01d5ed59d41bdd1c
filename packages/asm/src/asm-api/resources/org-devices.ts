/** `client.orgDevices`: the devices of the organisation. */
import { NotFoundError, paginate, type RequestOptions } from '@schoolmdm/core';
import { type AsyncList, asyncList } from '../../internal/list.js';
import type { AsmContext } from '../context.js';
import {
  type AppleCareCoverage,
  CoveragePage,
  type MdmServer,
  MdmServerDocument,
  ORG_DEVICE_FIELDS,
  type OrgDevice,
  OrgDeviceDocument,
  type OrgDeviceField,
  OrgDevicesPage,
  toMdmServer,
  toOrgDevice,
} from '../schemas.js';
import { checkLimit, pathSegment } from './params.js';

/** Parameters of {@link OrgDevicesResource.list}. */
export interface ListOrgDevicesParams {
  /**
   * Attributes to ask for (`fields[orgDevices]`). Without it Apple returns a default subset, so
   * the client asks for every documented attribute. Pass `'all'` to send no `fields[]` at all
   * (the migration attributes come only that way: Apple documents them as attributes but leaves
   * them out of the allowed `fields[orgDevices]` values).
   * @defaultValue every documented attribute
   */
  fields?: readonly (OrgDeviceField | (string & {}))[] | 'all';
  /** Page size, 1–1000. @defaultValue `1000` */
  limit?: number;
}

/**
 * The devices Apple School Manager knows: `GET /v1/orgDevices` and the per-device reads.
 *
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi/get-org-devices
 */
export class OrgDevicesResource {
  readonly #ctx: AsmContext;

  /** @internal */
  constructor(ctx: AsmContext) {
    this.#ctx = ctx;
  }

  /**
   * Every device of the organisation, page by page (`meta.paging.nextCursor`; the next request
   * is built against `baseURL`, never from `links.next`).
   *
   * @example
   * ```ts
   * for await (const d of client.orgDevices.list({ fields: ['serialNumber', 'status', 'productFamily'] })) {
   *   console.log(d.serialNumber, d.status);
   * }
   * ```
   */
  list(params: ListOrgDevicesParams = {}, options: RequestOptions = {}): AsyncList<OrgDevice> {
    const limit = checkLimit(params.limit ?? 1000);
    const fields = params.fields ?? ORG_DEVICE_FIELDS;
    const query: Record<string, string | number | undefined> = { limit };
    if (fields !== 'all') query['fields[orgDevices]'] = fields.join(',');
    return asyncList(
      paginate({
        strategy: 'cursor',
        signal: options.signal,
        fetchPage: async (cursor, { signal }) =>
          (
            await this.#ctx.call(
              {
                method: 'GET',
                path: 'orgDevices',
                query: { ...query, cursor },
                schema: OrgDevicesPage,
                what: 'orgDevices page',
              },
              { ...options, signal },
            )
          ).data,
        nextCursor: (page) => page.meta?.paging?.nextCursor,
        items: (page) => page.data.map(toOrgDevice),
      }),
    );
  }

  /**
   * One device by serial number, or `undefined` when the organisation has no such device
   * (Apple answers 404: not an error here).
   */
  async get(
    serial: string,
    params: { fields?: readonly (OrgDeviceField | (string & {}))[] | 'all' } = {},
    options: RequestOptions = {},
  ): Promise<OrgDevice | undefined> {
    const fields = params.fields ?? 'all';
    try {
      const { data } = await this.#ctx.call(
        {
          method: 'GET',
          path: `orgDevices/${pathSegment(serial, 'serial')}`,
          query: fields === 'all' ? undefined : { 'fields[orgDevices]': fields.join(',') },
          schema: OrgDeviceDocument,
          what: 'orgDevice',
        },
        options,
      );
      return toOrgDevice(data.data);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The MDM server a device is assigned to; `undefined` when it is unassigned or not in the
   * organisation.
   */
  async assignedServer(serial: string, options: RequestOptions = {}): Promise<MdmServer | undefined> {
    try {
      const { data } = await this.#ctx.call(
        {
          method: 'GET',
          path: `orgDevices/${pathSegment(serial, 'serial')}/assignedServer`,
          schema: MdmServerDocument,
          what: 'assigned server',
        },
        options,
      );
      return data.data ? toMdmServer(data.data) : undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The AppleCare coverages of one device (Apple has no bulk read: one serial per call).
   * `undefined` when the organisation has no such device.
   */
  async appleCareCoverage(serial: string, options: RequestOptions = {}): Promise<AppleCareCoverage[] | undefined> {
    const path = `orgDevices/${pathSegment(serial, 'serial')}/appleCareCoverage`;
    const pages = paginate({
      strategy: 'cursor',
      signal: options.signal,
      fetchPage: async (cursor, { signal }) =>
        (
          await this.#ctx.call(
            {
              method: 'GET',
              path,
              query: { limit: 1000, cursor },
              schema: CoveragePage,
              what: 'appleCareCoverage page',
            },
            { ...options, signal },
          )
        ).data,
      nextCursor: (page) => page.meta?.paging?.nextCursor,
      items: (page) => page.data.map((c) => ({ ...(c.attributes ?? {}), id: c.id })),
    });
    try {
      return await pages.toArray({ limit: 10_000 });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}

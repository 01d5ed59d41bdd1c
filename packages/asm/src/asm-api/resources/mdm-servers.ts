/** `client.mdmServers`: the organisation's device management services. */
import { InvalidArgumentError, paginate, type RequestOptions } from '@schoolmdm/core';
import { type AsyncList, asyncList } from '../../internal/list.js';
import type { AsmContext } from '../context.js';
import { LinkagePage, MDM_SERVER_FIELDS, type MdmServer, MdmServersPage, toMdmServer } from '../schemas.js';
import { checkLimit, pathSegment } from './params.js';

/**
 * The MDM servers of the organisation (Mosyle's, Apple Configurator's, the old MDM's).
 *
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi/get-device-management-services
 */
export class MdmServersResource {
  readonly #ctx: AsmContext;

  /** @internal */
  constructor(ctx: AsmContext) {
    this.#ctx = ctx;
  }

  /**
   * Every MDM server, with the documented attributes (`serverName`, `serverType`,
   * `deviceCount`, `defaultProductFamilies`, `status`, …).
   */
  list(params: { limit?: number } = {}, options: RequestOptions = {}): AsyncList<MdmServer> {
    const limit = checkLimit(params.limit ?? 1000);
    return asyncList(
      paginate({
        strategy: 'cursor',
        signal: options.signal,
        fetchPage: async (cursor, { signal }) =>
          (
            await this.#ctx.call(
              {
                method: 'GET',
                path: 'mdmServers',
                query: {
                  'fields[mdmServers]': MDM_SERVER_FIELDS.filter((f) => f !== 'devices').join(','),
                  limit,
                  cursor,
                },
                schema: MdmServersPage,
                what: 'mdmServers page',
              },
              { ...options, signal },
            )
          ).data,
        nextCursor: (page) => page.meta?.paging?.nextCursor,
        items: (page) => page.data.map(toMdmServer),
      }),
    );
  }

  /**
   * The serial numbers assigned to a server (`GET /v1/mdmServers/{id}/relationships/devices`),
   * up to 1000 per request.
   */
  devices(serverId: string, params: { limit?: number } = {}, options: RequestOptions = {}): AsyncList<string> {
    const path = `mdmServers/${pathSegment(serverId, 'serverId')}/relationships/devices`;
    const limit = checkLimit(params.limit ?? 1000);
    return asyncList(
      paginate({
        strategy: 'cursor',
        signal: options.signal,
        fetchPage: async (cursor, { signal }) =>
          (
            await this.#ctx.call(
              { method: 'GET', path, query: { limit, cursor }, schema: LinkagePage, what: 'server devices page' },
              { ...options, signal },
            )
          ).data,
        nextCursor: (page) => page.meta?.paging?.nextCursor,
        items: (page) => page.data.map((d) => d.id.toUpperCase()),
      }),
    );
  }

  /**
   * The server whose `serverName` is `name` (trimmed, case-insensitive), or `undefined`.
   * Throws `InvalidArgumentError` when several servers carry the name, listing their ids.
   *
   * @example
   * ```ts
   * const mosyle = await client.mdmServers.findByName('Mosyle Manager');
   * ```
   */
  async findByName(name: string, options: RequestOptions = {}): Promise<MdmServer | undefined> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new InvalidArgumentError('name', 'expected the non-empty name of an MDM server');
    }
    const wanted = name.trim().toLowerCase();
    const found: MdmServer[] = [];
    for await (const server of this.list({}, options)) {
      if ((server.serverName ?? '').trim().toLowerCase() === wanted) found.push(server);
    }
    if (found.length > 1) {
      throw new InvalidArgumentError(
        'name',
        `${found.length} MDM servers are named "${name.trim()}" (ids ${found.map((s) => s.id).join(', ')})`,
        {
          hint: 'Pass the server id instead, or rename one of the servers in Apple School Manager.',
        },
      );
    }
    return found[0];
  }
}

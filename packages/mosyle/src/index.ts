/**
 * `@schoolmdm/mosyle`: client for the Mosyle Manager API.
 *
 * This release carries the service facts the client builds on.
 *
 * @packageDocumentation
 */

/**
 * Base URL of the Mosyle Manager API v2. Every operation is a `POST` with the access token
 * in the JSON body and a JWT from `POST /login` in the `Authorization` header.
 * @see https://managerapi.mosyle.com/v2
 */
export const MOSYLE_MANAGER_BASE_URL = 'https://managerapi.mosyle.com/v2';

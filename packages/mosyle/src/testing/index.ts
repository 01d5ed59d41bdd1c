/**
 * `@schoolmdm/mosyle/testing`: msw handlers and a stateful simulator of the API.
 * @packageDocumentation
 */
export {};

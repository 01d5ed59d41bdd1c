/**
 * `@schoolmdm/core`: the shared HTTP transport, typed errors, pagination, batching and
 * serial-number CSV helpers of the schoolmdm SDK.
 *
 * @packageDocumentation
 */
export { isSchoolMdmError, SchoolMdmError, type SchoolMdmErrorOptions } from './errors/base.js';

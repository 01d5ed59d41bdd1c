/**
 * zod helpers for response schemas that survive API changes: objects keep unknown fields and
 * enums accept values added after the SDK was released, while a missing required field still
 * fails with its path.
 *
 * @see https://github.com/vercel/sdk/issues/299 (strict enums broke older SDK versions)
 * @see https://zod.dev/api#zlooseobject
 */
import { z } from 'zod';

/**
 * An object schema that lets unknown keys through (zod 4 `z.looseObject`). Use it for every
 * object in a response schema, nested ones included, so that a new field from the service
 * never breaks parsing.
 *
 * @example
 * ```ts
 * const OrgDevice = looseObject({ id: z.string(), attributes: looseObject({ serialNumber: z.string() }) });
 * ```
 */
export function looseObject<const Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape, z.core.$loose> {
  return z.looseObject(shape);
}

/** The TypeScript type of an {@link openEnum}: the known values, autocompleted, plus any string. */
export type OpenEnum<Values extends readonly string[]> = Values[number] | (string & {});

/**
 * An enum that also accepts values it does not know. The type is
 * `'a' | 'b' | (string & {})`, so editors still autocomplete the known values while a value
 * Apple or Mosyle adds later passes instead of failing the whole response.
 *
 * @example
 * ```ts
 * const Status = openEnum(['ASSIGNED', 'UNASSIGNED']);
 * type Status = z.infer<typeof Status>; // 'ASSIGNED' | 'UNASSIGNED' | (string & {})
 * Status.parse('RELEASED'); // 'RELEASED'
 * ```
 */
export function openEnum<const Values extends readonly [string, ...string[]]>(
  values: Values,
): z.ZodType<OpenEnum<Values>, string> {
  return z.union([z.enum(values as unknown as [string, ...string[]]), z.string()]) as unknown as z.ZodType<
    OpenEnum<Values>,
    string
  >;
}

/** True when `value` is one of an open enum's known `values` (narrows the type). */
export function isKnownValue<const Values extends readonly string[]>(
  values: Values,
  value: string | undefined,
): value is Values[number] {
  return value !== undefined && (values as readonly string[]).includes(value);
}

/** The brand of `SchoolMdmError`, in its own module so `internal/sanitize.ts` can test it without a cycle. */

/** Own property of every SDK error: the names of its class chain (explicit names, never minifier ones). */
export const ERROR_BRAND: unique symbol = Symbol.for('@schoolmdm/core:SchoolMdmError') as never;

/** True when `value` is an error thrown by any copy of any `@schoolmdm/*` package. */
export function hasErrorBrand(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND])
  );
}

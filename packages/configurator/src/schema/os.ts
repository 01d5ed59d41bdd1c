/**
 * OS support arithmetic: Apple's inheritance rule for `supportedOS` and version comparison.
 * Not part of the public API.
 */
import { OS_NAMES, type OsName, type OsSupport, type SupportedOs } from './types.js';

/**
 * `base` updated with `override`, OS by OS and field by field: "Each payload key is assumed to
 * inherit the supportedOS values from the payload object, but that is then updated with any
 * items in the key's own supportedOS object" (`docs/schema.md` of apple/device-management).
 * The nested `sharedIpad` / `userEnrollment` objects merge the same way.
 */
export function mergeSupportedOs(base: SupportedOs, override: SupportedOs | undefined): SupportedOs {
  if (!override) return base;
  const out: { [O in OsName]?: OsSupport } = {};
  for (const os of OS_NAMES) {
    const a = base[os];
    const b = override[os];
    if (!a && !b) continue;
    out[os] = {
      ...a,
      ...b,
      ...(a?.sharedIpad || b?.sharedIpad ? { sharedIpad: { ...a?.sharedIpad, ...b?.sharedIpad } } : {}),
      ...(a?.userEnrollment || b?.userEnrollment
        ? { userEnrollment: { ...a?.userEnrollment, ...b?.userEnrollment } }
        : {}),
    };
  }
  return out;
}

/** `true` when the block says the OS has it (`introduced` set and not `n/a`). */
export function isAvailable(support: OsSupport | undefined): boolean {
  return support?.introduced !== undefined && support.introduced !== 'n/a';
}

/** Compares dotted versions numerically (`'10.10' > '10.9'`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

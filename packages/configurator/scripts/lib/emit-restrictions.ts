/**
 * Emits `src/generated/restrictions.ts`: friendly names for the `allow…` booleans of
 * `com.apple.applicationaccess` (`camera` → `allowCamera`, `vpnCreation` → `allowVPNCreation`),
 * used by the `restrictions()` builder. Derived from the schema so new Apple keys get a
 * friendly name on the next regeneration.
 */
import type { GeneratorHeader } from './header.js';
import { renderHeader } from './header.js';
import type { Model } from './model.js';

/** Option names `restrictions()` already uses for the common payload keys. */
const RESERVED = new Set(['identifier', 'uuid', 'displayName', 'description', 'organization']);

/** The payload type whose `allow…` keys get friendly names. */
export const RESTRICTIONS_PAYLOAD_TYPE = 'com.apple.applicationaccess';

/**
 * `allowVPNCreation` → `vpnCreation`, `allowAirDrop` → `airDrop`, `allowiTunes` → `iTunes`:
 * drop `allow` and lower-case a leading acronym except the capital that starts the next word.
 */
export function friendlyName(key: string): string {
  const rest = key.slice('allow'.length);
  const m = /^([A-Z]+)(?=[A-Z][a-z]|$|[0-9])/.exec(rest);
  if (m?.[1] && m[1].length > 1) return m[1].toLowerCase() + rest.slice(m[1].length);
  return (rest[0]?.toLowerCase() ?? '') + rest.slice(1);
}

/** Renders the whole `restrictions.ts`. */
export function emitRestrictions(model: Model, header: GeneratorHeader): string {
  const payload = model.payloads.find((p) => p.payloadType === RESTRICTIONS_PAYLOAD_TYPE);
  if (!payload) throw new Error(`the schema has no ${RESTRICTIONS_PAYLOAD_TYPE}`);
  const pairs: [string, string][] = [];
  const used = new Map<string, string>();
  const appleKeys = new Set(payload.dictionary.keys.map((k) => k.name));
  for (const k of payload.dictionary.keys) {
    if (k.type !== 'boolean' || !/^allow[A-Za-z0-9]/.test(k.name)) continue;
    const friendly = friendlyName(k.name);
    const clash = used.get(friendly) ?? (appleKeys.has(friendly) || RESERVED.has(friendly) ? friendly : undefined);
    if (clash) throw new Error(`friendly restriction name ${friendly} (for ${k.name}) collides with ${clash}`);
    used.set(friendly, k.name);
    pairs.push([friendly, k.name]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out = [renderHeader(header, 'friendly names of the restrictions payload')];
  out.push(
    '/**',
    ` * Friendly name → \`${RESTRICTIONS_PAYLOAD_TYPE}\` key, for every \`allow…\` boolean of the schema`,
    ' * (`camera` → `allowCamera`). Used by `restrictions()`.',
    ' */',
    'export const RESTRICTION_KEYS = {',
    ...pairs.map(([f, k]) => `  ${f}: ${JSON.stringify(k)},`),
    '} as const;',
    '',
    '/** A friendly restriction name, e.g. `camera`, `airDrop`, `vpnCreation`. */',
    'export type RestrictionName = keyof typeof RESTRICTION_KEYS;',
    '',
  );
  return out.join('\n');
}

/**
 * Whether the school has Apple School Manager API credentials at all: a school without an API
 * account leaves the variables unset or the files absent, and its ASM steps go to a person.
 * Only presence is checked here (no value is read into memory); a credential that is present
 * but unusable (a file readable by others, a wrong key) still fails loudly when a client reads it.
 */
import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../config/load.js';
import type { CredentialSource } from '../config/schema.js';

/** `{ ok: true }`, or why the ASM API cannot be used (names the first missing credential). */
export function asmCredentialsPresent(
  config: LoadedConfig,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true } | { ok: false; why: string } {
  const a = config.data.asm;
  const sources: [string, CredentialSource][] = [
    ['asm.clientId', a.clientId],
    ['asm.keyId', a.keyId],
    ['asm.privateKey', a.privateKey],
  ];
  for (const [key, source] of sources) {
    if ('env' in source) {
      const v = env[source.env];
      if (v === undefined || v === '')
        return { ok: false, why: `no ASM API credentials (${key}: ${source.env} is not set)` };
    } else if (!existsSync(config.path(source.file))) {
      return { ok: false, why: `no ASM API credentials (${key}: ${source.file} does not exist)` };
    }
  }
  return { ok: true };
}

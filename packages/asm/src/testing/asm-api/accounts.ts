/** Test fixtures for the Apple School Manager API: API accounts and devices. */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AsmSimApiAccount, AsmSimDevice } from './state.js';

/** An API account with its key pair, as Apple School Manager hands it out. */
export interface TestAsmApiAccount extends AsmSimApiAccount {
  /** The EC P-256 private key (PKCS#8 PEM) to give to `AsmClient`. Test-only. */
  privateKeyPem: string;
}

/**
 * Makes an API account: a `SCHOOLAPI.<uuid>` client id (or `BUSINESSAPI.`), a key id and a
 * fresh EC P-256 key pair. Register it in the simulator's `accounts`.
 */
export function createAsmApiAccount(options: { business?: boolean } = {}): TestAsmApiAccount {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    clientId: `${options.business ? 'BUSINESSAPI' : 'SCHOOLAPI'}.${randomUUID()}`,
    keyId: randomUUID(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * `count` distinct, valid 12-character serial numbers starting with `prefix` (letters and
 * digits, at most 6 characters).
 */
export function makeSerials(count: number, prefix = 'DMP'): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push(
      `${prefix}${i
        .toString(36)
        .toUpperCase()
        .padStart(12 - prefix.length, '0')}`,
    );
  return out;
}

/** Devices for the simulator's `devices`: iPads with the given serials, optionally on a server. */
export function makeAsmDevices(
  serials: readonly string[],
  fields: Partial<Omit<AsmSimDevice, 'serialNumber'>> = {},
): (Omit<AsmSimDevice, 'updatedAt'> & { updatedAt?: number })[] {
  return serials.map((serialNumber) => ({ productFamily: 'iPad', ...fields, serialNumber }));
}

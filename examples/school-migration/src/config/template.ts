/**
 * The config template `init` writes, also used for "write instead" examples in config errors.
 */
import type { MigrationConfigInput } from './schema.js';

/** The template's values: a school that follows the seed's own words. */
export function configTemplate(overrides: Partial<MigrationConfigInput> = {}): MigrationConfigInput {
  return {
    school: { name: 'Ecole Sainte-Marie', short: 'ESM' },
    naming: '{school}-{group}-{nn}',
    inputs: { export: 'data/old-mdm-export.csv', plan: 'data/plan.csv' },
    files: {
      mdmCertificate: 'keys/mdm-public-key.pem',
      mdmPrivateKey: 'keys/mdm-private-key.pem',
      serverToken: 'tokens/server-token.p7m',
      pushCertificate: 'tokens/push-certificate.pem',
      pushPrivateKey: 'keys/push-private-key.pem',
      contentToken: 'tokens/content-token.vpptoken',
      enrollmentProfile: 'tokens/mosyle-enrollment.mobileconfig',
    },
    asm: {
      mosyleServer: 'Mosyle',
      clientId: { env: 'ASM_CLIENT_ID' },
      keyId: { env: 'ASM_KEY_ID' },
      privateKey: { file: 'secrets/asm-api-key.pem' },
      steps: 'api',
    },
    mosyle: {
      accessToken: { env: 'MOSYLE_ACCESS_TOKEN' },
      email: { env: 'MOSYLE_EMAIL' },
      password: { file: 'secrets/mosyle-password' },
      steps: 'auto',
    },
    appsAndBooks: {},
    configurator: { mode: 'cfgutil', cfgutil: 'cfgutil' },
    journal: 'state/journal.jsonl',
    out: 'out',
    ...overrides,
  };
}

/** Example values by dotted path, for "write instead" hints. */
export function exampleAt(path: string): unknown {
  let v: unknown = configTemplate();
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

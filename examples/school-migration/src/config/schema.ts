/**
 * The config file (JSON or YAML), validated with zod. Paths are relative to the config file.
 * Credentials are never values in this file: each is `{ env: NAME }` or `{ file: path }`.
 */
import { z } from 'zod';

/** Where a secret comes from: an environment variable or a file (owner-only permissions). */
export const CredentialSource = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
export type CredentialSource = z.infer<typeof CredentialSource>;

const Url = z.string().url();

/** The config, as written by `init`. */
export const MigrationConfigSchema = z
  .object({
    school: z
      .object({
        /** The school's name, as in reports. */
        name: z.string().min(1),
        /** Short code used in device names (`{school}`). */
        short: z
          .string()
          .min(1)
          .max(12)
          .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes'),
      })
      .strict(),
    /** Device name template: `{school}`, `{group}`, `{nn}` (number within the group), `{serial}`, `{last4}`. */
    naming: z
      .string()
      .min(1)
      .refine((s) => /\{(nn|serial|last4)\}/.test(s), 'must contain {nn}, {serial} or {last4} so that names are unique')
      .refine((s) => !/\{(?!school\}|group\}|nn\}|serial\}|last4\})[^}]*\}/.test(s), 'unknown placeholder'),
    inputs: z
      .object({
        /** The old MDM's export (every serial to move). */
        export: z.string().min(1),
        /** The plan: serial → shared device group (cart or class). */
        plan: z.string().min(1),
        /** Plan column holding the group; found by common names when absent. */
        groupColumn: z.string().optional(),
      })
      .strict(),
    files: z
      .object({
        mdmCertificate: z.string().min(1),
        mdmPrivateKey: z.string().min(1),
        serverToken: z.string().min(1),
        pushCertificate: z.string().min(1),
        pushPrivateKey: z.string().min(1),
        contentToken: z.string().min(1),
        enrollmentProfile: z.string().min(1),
      })
      .strict(),
    asm: z
      .object({
        /** Name of the Mosyle MDM server in Apple School Manager. */
        mosyleServer: z.string().min(1),
        clientId: CredentialSource,
        keyId: CredentialSource,
        privateKey: CredentialSource,
        baseURL: Url.optional(),
        tokenURL: Url.optional(),
        /** Who assigns devices: the API, or a person (worksheet, verified from an export). */
        steps: z.enum(['api', 'person']).default('api'),
      })
      .strict(),
    mosyle: z
      .object({
        accessToken: CredentialSource,
        email: CredentialSource,
        password: CredentialSource,
        baseURL: Url.optional(),
        /** `auto`: API when `checkAccess()` says so; `person`: rename and group by hand. */
        steps: z.enum(['auto', 'api', 'person']).default('auto'),
      })
      .strict(),
    appsAndBooks: z.object({ baseURL: Url.optional() }).strict().default({}),
    configurator: z
      .object({
        /** `cfgutil`: prepare attached iPads; `person`: read confirmations from a CSV of serials. */
        mode: z.enum(['cfgutil', 'person']).default('cfgutil'),
        /** The cfgutil executable. */
        cfgutil: z.string().min(1).default('cfgutil'),
        /** Person mode: a CSV of the serials prepared by hand. */
        confirmations: z.string().optional(),
      })
      .strict()
      .default({ mode: 'cfgutil', cfgutil: 'cfgutil' }),
    /** The per-device journal (append-only JSONL). */
    journal: z.string().min(1).default('state/journal.jsonl'),
    /** Where `report` and `run` write files. */
    out: z.string().min(1).default('out'),
    /** Set by `simulate`: the simulated world's base URL (its clock is used for rate limits). */
    world: z.object({ url: Url }).strict().optional(),
  })
  .strict();

/** A validated config, as written. */
export type MigrationConfigInput = z.input<typeof MigrationConfigSchema>;
/** A validated config, defaults filled in. */
export type MigrationConfigData = z.output<typeof MigrationConfigSchema>;

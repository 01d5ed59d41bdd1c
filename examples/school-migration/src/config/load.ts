/**
 * Reads and validates the config file (JSON or YAML). Every problem comes back at once, each
 * with its dotted path and what to write instead; secrets are read only from environment
 * variables or files, at the moment a client needs them.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, CredentialError } from '../errors.js';
import { Secret } from '../secret.js';
import { type CredentialSource, type MigrationConfigData, MigrationConfigSchema } from './schema.js';
import { exampleAt } from './template.js';

/** A loaded config: the validated data, its file and a resolver for relative paths. */
export interface LoadedConfig {
  /** The config file's absolute path. */
  file: string;
  /** Its directory; relative paths resolve against it. */
  dir: string;
  /** The validated data with defaults. */
  data: MigrationConfigData;
  /** Resolves a path from the config against its directory. */
  path(p: string): string;
}

const CREDENTIAL_KEYS = new Set([
  'asm.clientId',
  'asm.keyId',
  'asm.privateKey',
  'mosyle.accessToken',
  'mosyle.email',
  'mosyle.password',
]);

/**
 * Loads and validates a config file.
 * @throws {ConfigError} with every problem, each with a path and what to write instead.
 */
export function loadConfig(file: string): LoadedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(abs, [
      {
        path: '',
        message: code === 'ENOENT' ? 'the config file does not exist' : `cannot be read (${code ?? 'error'})`,
        fix: 'run `school-migration init` to write a template, or pass --config <file>',
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(abs) ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new ConfigError(abs, [
      {
        path: '',
        message: `is not valid ${/\.json$/i.test(abs) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`,
        fix: 'fix the syntax at the line shown (YAML: indent with spaces, quote values containing ": " or "{")',
      },
    ]);
  }
  return fromData(abs, raw);
}

/** Validates already-parsed config data (used by `loadConfig` and tests). */
export function fromData(file: string, raw: unknown): LoadedConfig {
  const parsed = MigrationConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(file, problemsOf(parsed.error, raw));
  const dir = dirname(file);
  return { file, dir, data: parsed.data, path: (p) => (isAbsolute(p) ? p : resolve(dir, p)) };
}

function problemsOf(error: z.ZodError, raw: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (CREDENTIAL_KEYS.has(path)) {
      if (seen.has(path)) continue;
      seen.add(path);
      const name = path
        .replace('.', '_')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toUpperCase();
      out.push({
        path,
        message:
          typeof valueAt(raw, issue.path) === 'string'
            ? 'a credential is never written in the config file'
            : 'must name an environment variable or a file',
        fix: `${path.split('.').pop()}: { env: ${name} }   or   { file: secrets/${path
          .replace('.', '-')
          .replace(/([a-z])([A-Z])/g, '$1-$2')
          .toLowerCase()} }`,
      });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = path ? `${path}.${key}` : key;
        out.push({ path: full, message: 'is not a known setting', fix: `remove "${key}" (check its spelling)` });
      }
      continue;
    }
    const example = exampleAt(path);
    let fix: string;
    if (issue.code === 'invalid_value' && 'values' in issue) {
      fix = `one of: ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (example !== undefined && typeof example !== 'object') {
      fix = `${path.split('.').pop()}: ${JSON.stringify(example)}`;
    } else if (example !== undefined) {
      fix = `${path.split('.').pop()}: ${JSON.stringify(example)}`;
    } else {
      fix = 'see the template `school-migration init` writes';
    }
    out.push({ path, message: describeIssue(issue), fix });
  }
  return out;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return 'is missing';
  return issue.message;
}

/**
 * Reads a credential from its environment variable or file. The value comes back as a
 * `Secret`, which prints as `[REDACTED]`.
 * @throws {CredentialError} when the variable is unset or the file cannot be read.
 */
export function readCredential(
  config: LoadedConfig,
  key: string,
  source: CredentialSource,
  env: NodeJS.ProcessEnv = process.env,
): Secret {
  if ('env' in source) {
    const v = env[source.env];
    if (v === undefined || v === '') {
      throw new CredentialError(key, `the environment variable ${source.env} is not set`, {
        hint: `export ${source.env}=… in the shell that runs the program (never on its command line)`,
      });
    }
    return new Secret(v);
  }
  const path = config.path(source.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CredentialError(key, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: `put the credential in ${path}, readable only by you (chmod 600)`,
    });
  }
  if ((statSync(path).mode & 0o077) !== 0 && process.platform !== 'win32') {
    throw new CredentialError(key, `${path} is readable by other users`, { hint: `run: chmod 600 ${path}` });
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new CredentialError(key, `${path} is empty`);
  return new Secret(value);
}

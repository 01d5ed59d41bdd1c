/**
 * Issue #8, defect 10: the *built* `@schoolmdm/core` (ESM and CJS) keeps every error class's
 * name — esbuild used to rename `ApiError` to `_ApiError`, so an HTTP 418 printed
 * `_ApiError: GET …` and the name-keyed brand no longer matched a copy built from source —
 * and `instanceof` works across the three copies (source, ESM, CJS).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as source from '../packages/core/src/index.js';
import { ensureCoreBuilt } from '../packages/core/test/support/built.js';

type Core = typeof source;
let esm: Core;
let cjs: Core;

beforeAll(async () => {
  const dist = ensureCoreBuilt();
  esm = (await import(pathToFileURL(join(dist, 'index.mjs')).href)) as Core;
  cjs = createRequire(import.meta.url)(join(dist, 'index.cjs')) as Core;
}, 300_000);

const target = { method: 'GET', url: 'https://x.test/a?token=SECRET' };

/** One instance of every error class core itself defines. */
function instances(m: Core): Record<string, Error> {
  return {
    SchoolMdmError: new m.SchoolMdmError('x'),
    ApiError: m.ApiError.generate({ status: 418, method: 'GET', url: target.url }),
    BadRequestError: m.ApiError.generate({ status: 400, method: 'GET', url: target.url }),
    AuthenticationError: m.ApiError.generate({ status: 401, method: 'GET', url: target.url }),
    PermissionDeniedError: m.ApiError.generate({ status: 403, method: 'GET', url: target.url }),
    NotFoundError: m.ApiError.generate({ status: 404, method: 'GET', url: target.url }),
    ConflictError: m.ApiError.generate({ status: 409, method: 'GET', url: target.url }),
    UnprocessableEntityError: m.ApiError.generate({ status: 422, method: 'GET', url: target.url }),
    RateLimitError: m.ApiError.generate({ status: 429, method: 'GET', url: target.url }),
    InternalServerError: m.ApiError.generate({ status: 503, method: 'GET', url: target.url }),
    InvalidArgumentError: new m.InvalidArgumentError('x', 'bad'),
    ConnectionError: new m.ConnectionError(target, { code: 'ECONNRESET' }),
    TimeoutError: new m.TimeoutError(target, 10),
    AbortError: new m.AbortError(target),
    RedirectError: new m.RedirectError(target, { status: 302, reason: 'invalid-location' }),
    ResponseTooLargeError: new m.ResponseTooLargeError(target, { maxBytes: 1 }),
    ResponseValidationError: new m.ResponseValidationError([]),
    PaginationError: new m.PaginationError('max-pages', 'x'),
  };
}

function errorClasses(m: Core): [string, Function][] {
  return Object.entries(m).filter(([, v]) => typeof v === 'function' && (v as Function).prototype instanceof Error) as [
    string,
    Function,
  ][];
}

describe('built @schoolmdm/core keeps error names (ESM and CJS)', () => {
  it('every exported error class is named as it is exported', () => {
    for (const [label, m] of [
      ['esm', esm],
      ['cjs', cjs],
      ['source', source],
    ] as const) {
      const classes = errorClasses(m);
      expect(classes.length, label).toBeGreaterThanOrEqual(18);
      for (const [exported, ctor] of classes) expect(ctor.name, `${label} ${exported}`).toBe(exported);
    }
  });

  it('every core error instance has its class name as name, in message, stack and JSON', () => {
    for (const m of [esm, cjs]) {
      const all = instances(m);
      // Every core error class is covered by the table.
      const coreNames = errorClasses(m)
        .map(([n]) => n)
        .filter((n) => n !== 'SerialCsvError');
      expect(Object.keys(all).sort()).toEqual(coreNames.sort());
      for (const [name, err] of Object.entries(all)) {
        expect(err.name).toBe(name);
        expect(String(err).startsWith(`${name}: `)).toBe(true);
        expect(err.stack?.startsWith(`${name}: `)).toBe(true);
        expect(JSON.stringify(err)).toContain(`"name":"${name}"`);
        expect(String(err)).not.toMatch(/\b_[A-Z]\w*Error\b/);
      }
    }
  });

  it('an HTTP 418 prints as ApiError, not _ApiError', () => {
    const err = esm.ApiError.generate({ status: 418, method: 'GET', url: 'https://x.test/tea' });
    expect(String(err)).toMatch(/^ApiError: GET https:\/\/x\.test\/tea failed with HTTP 418/);
  });

  it('instanceof works across source, ESM and CJS copies, in every direction', () => {
    const copies = { source, esm, cjs };
    for (const [fromLabel, from] of Object.entries(copies)) {
      for (const [name, err] of Object.entries(instances(from))) {
        for (const [toLabel, to] of Object.entries(copies)) {
          const ctor = (to as unknown as Record<string, Function>)[name] as Function;
          expect(err instanceof ctor, `${fromLabel} ${name} instanceof ${toLabel}`).toBe(true);
          expect(err instanceof to.SchoolMdmError).toBe(true);
          expect(to.isSchoolMdmError(err)).toBe(true);
        }
      }
      // A subclass is not an instance of a sibling.
      const nf = instances(from).NotFoundError;
      for (const to of Object.values(copies)) {
        expect(nf instanceof to.ApiError).toBe(true);
        expect(nf instanceof to.RateLimitError).toBe(false);
        expect(nf instanceof to.ConnectionError).toBe(false);
      }
    }
  });

  it('a SecretValue from one copy is recognised and redacted by the others', () => {
    for (const from of [source, esm, cjs]) {
      const s = new from.SecretValue('BUILT_5ECRET');
      for (const to of [source, esm, cjs]) {
        expect(to.isSecretValue(s)).toBe(true);
        expect(s instanceof to.SecretValue).toBe(true);
        expect(JSON.stringify(to.redact({ x: s }))).not.toContain('BUILT_5ECRET');
      }
    }
  });
});

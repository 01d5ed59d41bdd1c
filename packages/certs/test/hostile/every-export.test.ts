/**
 * Issue #15 item 17: every export of `@schoolmdm/certs` (and its testing entry), called with no
 * argument, `null` and a wrong type, either works or throws an SDK error, never a bare
 * `TypeError` from inside.
 */
import { isSchoolMdmError } from '@schoolmdm/core';
import { describe, expect, it } from 'vitest';
import * as certs from '../../src/index.js';
import * as testing from '../../src/testing/index.js';

const WRONG: ReadonlyArray<readonly unknown[]> = [
  [],
  [null],
  [42],
  [{}],
  [Symbol('x')],
  [[1, 2]],
  ['x', null],
  ['x', 42],
  ['x', { bogus: 1 }],
];

async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

function isClass(f: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(f));
}

describe.each([
  ['@schoolmdm/certs', certs],
  ['@schoolmdm/certs/testing', testing],
])('%s', (_entry, mod) => {
  const functions = Object.entries(mod).filter(([, v]) => typeof v === 'function') as Array<[string, Function]>;

  it('exports functions to check', () => {
    expect(functions.length).toBeGreaterThanOrEqual(5);
  });

  it.each(functions)('%s: only SDK errors come out', async (name, fn) => {
    for (const args of WRONG) {
      const err = await outcome(() =>
        isClass(fn) ? new (fn as new (...a: unknown[]) => unknown)(...args) : fn(...args),
      );
      if (err !== undefined) {
        expect(isSchoolMdmError(err), `${name}(${args.map((a) => String(a)).join(', ')}) threw ${String(err)}`).toBe(
          true,
        );
      }
    }
  });
});

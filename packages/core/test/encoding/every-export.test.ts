/**
 * Issue #15 item 17 for core's serial and PEM/DN modules: every export called with no argument,
 * `null` and a wrong type either works or throws an SDK error (`InvalidArgumentError` for a
 * wrong argument), never a bare `TypeError`.
 */
import { describe, expect, it } from 'vitest';
import * as dn from '../../src/encoding/distinguished-name.js';
import * as pem from '../../src/encoding/pem.js';
import { isSchoolMdmError } from '../../src/errors/base.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument.js';
import * as serials from '../../src/serials/index.js';

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
  [[[null]]],
];

function isClass(f: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(f));
}

describe.each([
  ['encoding/pem', pem],
  ['encoding/distinguished-name', dn],
  ['serials', serials],
])('%s', (_name, mod) => {
  const functions = Object.entries(mod).filter(([, v]) => typeof v === 'function') as Array<[string, Function]>;

  it.each(functions)('%s: only SDK errors come out', async (name, fn) => {
    for (const args of WRONG) {
      try {
        await (isClass(fn) ? new (fn as new (...a: unknown[]) => unknown)(...args) : fn(...args));
      } catch (err) {
        expect(isSchoolMdmError(err), `${name}(${args.map((a) => String(a)).join(', ')}) threw ${String(err)}`).toBe(
          true,
        );
      }
    }
  });
});

describe('the named cases of the issue', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['decodeBase64(null)', () => pem.decodeBase64(null as never), /^Invalid text: expected a string, got null/],
    ['parsePem(undefined)', () => pem.parsePem(undefined as never), /^Invalid text: expected a string, got undefined/],
    ['toPem(1, bytes)', () => pem.toPem(1 as never, new Uint8Array(1)), /^Invalid label/],
    ['formatDistinguishedName(null)', () => dn.formatDistinguishedName(null as never), /^Invalid rdns/],
  ])('%s throws InvalidArgumentError', (_name, call, message) => {
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});

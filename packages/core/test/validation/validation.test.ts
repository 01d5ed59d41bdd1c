import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  ApiError,
  formatPath,
  isKnownValue,
  looseObject,
  type OpenEnum,
  openEnum,
  parseResponse,
  ResponseValidationError,
} from '../../src/index.js';

const Status = openEnum(['ASSIGNED', 'UNASSIGNED']);
const Device = looseObject({
  id: z.string(),
  attributes: looseObject({
    serialNumber: z.string(),
    status: Status,
    productFamily: openEnum(['iPad', 'Mac']).optional(),
  }),
});
const Page = looseObject({
  data: z.array(Device),
  meta: looseObject({ paging: looseObject({ nextCursor: z.string().optional() }) }).optional(),
});

describe('openEnum', () => {
  it('accepts known and new values, rejects non-strings', () => {
    expect(Status.parse('ASSIGNED')).toBe('ASSIGNED');
    expect(Status.parse('RELEASED')).toBe('RELEASED');
    expect(Status.safeParse(3).success).toBe(false);
  });

  it('is typed as the known values plus (string & {})', () => {
    type S = z.infer<typeof Status>;
    expectTypeOf<S>().toEqualTypeOf<'ASSIGNED' | 'UNASSIGNED' | (string & {})>();
    expectTypeOf<OpenEnum<readonly ['a']>>().toEqualTypeOf<'a' | (string & {})>();
  });

  it('isKnownValue narrows to the known values', () => {
    const v: string = Status.parse('UNASSIGNED');
    expect(isKnownValue(['ASSIGNED', 'UNASSIGNED'] as const, v)).toBe(true);
    expect(isKnownValue(['ASSIGNED'] as const, 'NEW')).toBe(false);
    expect(isKnownValue(['ASSIGNED'] as const, undefined)).toBe(false);
  });
});

describe('looseObject', () => {
  it('keeps unknown fields at every level', () => {
    const body = {
      data: [{ id: '1', attributes: { serialNumber: 'A', status: 'ASSIGNED', newAttr: true }, extra: 1 }],
      links: {},
    };
    expect(Page.parse(body)).toEqual(body);
  });
});

describe('parseResponse', () => {
  it('returns the parsed value', () => {
    const out = parseResponse(Page, { data: [] });
    expectTypeOf(out.data).toEqualTypeOf<z.infer<typeof Device>[]>();
    expect(out).toEqual({ data: [] });
  });

  it('fails a missing required field with every issue path', () => {
    const body = {
      data: [
        { id: '1', attributes: { serialNumber: 'A', status: 'ASSIGNED' } },
        { id: 2, attributes: { status: 'ASSIGNED', accessToken: 'SECRET' } },
      ],
    };
    let err: ResponseValidationError | undefined;
    try {
      parseResponse(Page, body, {
        method: 'GET',
        url: 'https://x.test/v1/orgDevices?token=SECRET',
        status: 200,
        what: 'orgDevices page',
      });
    } catch (e) {
      err = e as ResponseValidationError;
    }
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err).not.toBeInstanceOf(ApiError);
    expect(err?.issues.map((i) => i.path).sort()).toEqual(['data[1].attributes.serialNumber', 'data[1].id']);
    expect(err?.message).toMatch(
      /^orgDevices page from GET https:\/\/x\.test\/v1\/orgDevices\?token=\[REDACTED\] does not match the expected shape: /,
    );
    expect(err?.excerpt).toContain('"status":"ASSIGNED"');
    expect(err?.status).toBe(200);
    for (const text of [String(err), JSON.stringify(err), inspect(err, { showHidden: true, depth: 10 })]) {
      expect(text).not.toContain('SECRET');
    }
  });

  it('lists at most five issues in the message', () => {
    const err = (() => {
      try {
        parseResponse(z.array(z.string()), [1, 2, 3, 4, 5, 6, 7]);
      } catch (e) {
        return e as ResponseValidationError;
      }
    })();
    expect(err?.issues).toHaveLength(7);
    expect(err?.message).toContain('(+2 more)');
    expect(err?.message).toMatch(/^Response body does not match/);
  });
});

describe('formatPath', () => {
  it('writes indexes, identifiers and odd keys', () => {
    expect(formatPath(['data', 3, 'attributes', 'serialNumber'])).toBe('data[3].attributes.serialNumber');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'fields[orgDevices]'])).toBe('[0]["fields[orgDevices]"]');
  });
});

/**
 * parseContentToken: Apple's file shape and its variants, errors, expiry and redaction; python3
 * (base64 + json + datetime) as an independent reader of the same files.
 */
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { peers, runPeer } from '../../../../test/support/peers.js';
import { ContentToken, ExpiredError, MalformedInputError, parseContentToken } from '../../src/index.js';
import { createContentTokenFile } from '../../src/testing/index.js';

const INNER = 'SECRETinnerTokenVGhpcyBpcyBub3QgYSByZWFsIHRva2Vu';
const b64 = (json: unknown) => Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)).toString('base64');
/** Apple's documented example shape: pretty JSON, colon-less offset. */
const APPLE = b64(
  `{\n  "token" : "${INNER}",\n  "expDate" : "2030-11-08T22:33:22+0000",\n  "orgName" : "Springfield Elementary"\n}`,
);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('parseContentToken', () => {
  it('reads Apple’s example shape; token is the whole trimmed file', () => {
    const t = parseContentToken(`${APPLE}\r\n`);
    expect(t).toBeInstanceOf(ContentToken);
    expect(t.token).toBe(APPLE);
    expect(t.orgName).toBe('Springfield Elementary');
    expect(t.expiresAt.toISOString()).toBe('2030-11-08T22:33:22.000Z');
  });

  it('accepts bytes, a BOM, surrounding whitespace and a Base64 body wrapped over lines', () => {
    const wrapped = APPLE.replace(/.{60}/g, '$&\r\n');
    for (const input of [Buffer.from(APPLE), `\uFEFF  ${APPLE}  \n`, Buffer.from(`\uFEFF${APPLE}\r\n`), wrapped]) {
      const t = parseContentToken(input);
      expect(t.token).toBe(APPLE);
      expect(t.orgName).toBe('Springfield Elementary');
    }
  });

  it.each([
    ['+0000', '2030-11-08T22:33:22+0000', '2030-11-08T22:33:22.000Z'],
    ['+00:00', '2030-11-08T22:33:22+00:00', '2030-11-08T22:33:22.000Z'],
    ['Z', '2030-11-08T22:33:22Z', '2030-11-08T22:33:22.000Z'],
    ['+02:00 (simulator)', '2030-11-09T00:33:22+02:00', '2030-11-08T22:33:22.000Z'],
    ['-0700', '2030-11-08T15:33:22-0700', '2030-11-08T22:33:22.000Z'],
    ['+05:30', '2030-11-09T04:03:22+05:30', '2030-11-08T22:33:22.000Z'],
    ['-08 (hours only)', '2030-11-08T14:33:22-08', '2030-11-08T22:33:22.000Z'],
    ['fractional seconds', '2030-11-08T22:33:22.250+0000', '2030-11-08T22:33:22.250Z'],
  ])('parses expDate with %s', (_name, expDate, iso) => {
    const t = parseContentToken(b64({ token: INNER, expDate, orgName: 'X' }));
    expect(t.expiresAt.toISOString()).toBe(iso);
  });

  it.each([
    ['not Base64', 'this is not base64!', /not Base64/],
    [
      'decoded JSON instead of the file',
      '{"token":"x","expDate":"2030-01-01T00:00:00Z","orgName":"X"}',
      /decoded JSON, not the token file/,
    ],
    ['Base64 of non-JSON', b64(`not json ${INNER}`), /does not decode to JSON/],
    ['a JSON array', b64([1, 2]), /not an object/],
    ['missing token', b64({ expDate: '2030-11-08T22:33:22+0000', orgName: 'X' }), /"token" is missing/],
    ['empty orgName', b64({ token: INNER, expDate: '2030-11-08T22:33:22+0000', orgName: ' ' }), /"orgName" is empty/],
    ['numeric expDate', b64({ token: INNER, expDate: 1893456000, orgName: 'X' }), /"expDate" is a number/],
    [
      'date-only expDate',
      b64({ token: INNER, expDate: '2030-11-08', orgName: 'X' }),
      /"expDate" \("2030-11-08"\) is not an ISO 8601/,
    ],
    ['impossible date', b64({ token: INNER, expDate: '2030-02-30T00:00:00Z', orgName: 'X' }), /is not an ISO 8601/],
    ['bad offset', b64({ token: INNER, expDate: '2030-11-08T22:33:22+2500', orgName: 'X' }), /is not an ISO 8601/],
    ['empty file', '  \r\n', /empty/],
  ])('rejects %s with MalformedInputError, never quoting the token', (_name, input, message) => {
    const e = thrown(() => parseContentToken(input));
    expect(e).toBeInstanceOf(MalformedInputError);
    expect(e.message).toMatch(message);
    const shown = [e.message, e.stack, JSON.stringify(e), inspect(e, { showHidden: true, depth: 10 })].join('\n');
    expect(shown).not.toContain(INNER);
  });

  it('returns expired tokens unless rejectExpired, using the injected now', () => {
    const file = createContentTokenFile({ orgName: 'Old School', expiresAt: new Date('2020-01-01T00:00:00Z') });
    expect(parseContentToken(file).isExpired()).toBe(true);
    const e = thrown(() => parseContentToken(file, { rejectExpired: true }));
    expect(e).toBeInstanceOf(ExpiredError);
    expect(e.message).toMatch(/Content token of "Old School" expired on 2020-01-01T00:00:00.000Z/);
    expect((e as ExpiredError).expiredAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(parseContentToken(file, { rejectExpired: true, now: new Date('2019-12-31T23:59:59Z') }).orgName).toBe(
      'Old School',
    );
  });

  it('redacts the token in String, templates, JSON and util.inspect, but keeps it readable', () => {
    const t = parseContentToken(APPLE);
    const forms = [
      String(t),
      `${t}`,
      JSON.stringify(t),
      JSON.stringify({ ...t }),
      inspect(t),
      inspect(t, { showHidden: true, depth: 10 }),
      inspect({ nested: [t] }, { showHidden: true, depth: 10 }),
      format('%s %o %O %j', t, t, t, t),
    ];
    for (const f of forms) {
      expect(f).not.toContain(APPLE);
      expect(f).not.toContain(INNER);
    }
    expect(JSON.parse(JSON.stringify(t))).toEqual({
      orgName: 'Springfield Elementary',
      expiresAt: '2030-11-08T22:33:22.000Z',
      token: '[REDACTED]',
    });
    expect(String(t)).toBe(
      'ContentToken(orgName=Springfield Elementary, expiresAt=2030-11-08T22:33:22.000Z, token=[REDACTED])',
    );
    expect(Object.keys(t)).toEqual(['orgName', 'expiresAt']);
    expect(t.token).toBe(APPLE);
  });
});

describe.skipIf(!peers.python3)('python3 reads the same content-token files', () => {
  // Python's datetime.strptime %z accepts Z, ±HHMM and ±HH:MM (3.7+): an independent date parser.
  const PY = [
    'import base64, json, sys, datetime',
    'raw = sys.stdin.read().strip()',
    'doc = json.loads(base64.b64decode(raw))',
    'when = datetime.datetime.strptime(doc["expDate"].replace(".250", ""), "%Y-%m-%dT%H:%M:%S%z")',
    'print(json.dumps({"orgName": doc["orgName"], "epoch": int(when.timestamp()), "bearer": raw}))',
  ].join('\n');

  it.each(['+0000', '+00:00', 'Z'] as const)('files written with offset style %s', (offsetStyle) => {
    for (const [orgName, expiresAt] of [
      ['Springfield Elementary', new Date('2030-11-08T22:33:22Z')],
      ['École Saint-Exupéry — Lycée 🎓', new Date('2027-02-28T23:59:59Z')],
    ] as const) {
      const file = createContentTokenFile({ orgName, expiresAt, offsetStyle });
      const py = JSON.parse(runPeer('python3', ['-c', PY], { input: file }).toString()) as Record<string, unknown>;
      const ours = parseContentToken(file);
      expect({ orgName: ours.orgName, epoch: ours.expiresAt.getTime() / 1000, bearer: ours.token }).toEqual(py);
    }
  });
});

/**
 * `pnpm fuzz` targets of `@schoolmdm/core`: the serial-number CSV reader (in memory and
 * streamed) and the PEM/Base64 decoders every package's file readers stand on. Seeds: the real
 * CSV corpus (test/fixtures/real/csv) and exports built the way Excel and MDMs write them; PEM
 * made by openssl where it is installed.
 *
 * `readSerialCsv` may throw only `SerialCsvError` (a whole file it cannot use); the PEM
 * functions never throw for a string. Anything else, or a hang, is a failure.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { type FuzzTarget, mutations } from '../../../scripts/fuzz-inputs.js';
import { decodeBase64, parsePem, readSerialCsv, readSerialCsvStream, SerialCsvError } from '../src/index.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/real/csv/', import.meta.url));

let csvSeedCache: Uint8Array[] | undefined;
/** The real CSV corpus plus Excel-shaped exports (BOM, `sep=;`, CRLF, UTF-16, quotes). */
export function csvSeeds(): Uint8Array[] {
  if (csvSeedCache) return csvSeedCache;
  const out: Uint8Array[] = [];
  for (const dir of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, dir.name)))
      out.push(new Uint8Array(readFileSync(join(CORPUS, dir.name, f))));
  }
  const built = [
    '\uFEFFsep=;\r\nN° de série;Nom de l\'appareil;Étiquette\r\nDMPXK0AAHP5Q;iPad de Marie;A-1\r\n"F9FXK0AAHP5Q";"Dupont; Jean";\r\n',
    'Computer Serial,Display Name,Barcode 1\nDMPXK0AAHP5Q,Mac,SDMPXK0AAHP5Q\nF9FXK0AAHP5Q,Mac 2,SF9FXK0AAHP5Q\n',
    'Serial\n3.5E+14\n="GG7XL1BBJQ6R"\n dmqyl1bbjq6r \n"unclosed\nH4T9K2LMNP\n',
    'Seriennummer\tGerätename\nC02ZT4MWQ1A7\tiPad\n',
  ];
  for (const t of built) out.push(new Uint8Array(Buffer.from(t, 'utf8')));
  out.push(new Uint8Array(Buffer.from(`\uFEFF${built[1]}`, 'utf16le')));
  csvSeedCache = out;
  return out;
}

let pemSeedCache: string[] | undefined;
/** PEM texts: openssl-made key and certificate when openssl is installed, plus legacy encrypted headers. */
export function pemSeeds(): string[] {
  if (pemSeedCache) return pemSeedCache;
  const out = [
    '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n',
    '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n',
  ];
  try {
    const key = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const cert = execFileSync('openssl', ['req', '-x509', '-key', '/dev/stdin', '-subj', '/CN=fuzz', '-days', '1'], {
      input: key,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    out.push(key.toString(), cert.toString(), `${cert}${key}`);
  } catch {
    // openssl missing: the hand-made seeds above still exercise every branch.
  }
  pemSeedCache = out;
  return out;
}

/**
 * Seeds with a few byte-level mutations, writing the bytes CSV and PEM readers branch on
 * (separators, quotes, line ends, BOM halves) and flipping letter case.
 */
function mutated(seeds: () => ReadonlyArray<Uint8Array | string>): fc.Arbitrary<Uint8Array> {
  return mutations(seeds, {
    bytes: fc.constantFrom(
      0x00,
      0x0a,
      0x0d,
      0x22,
      0x2c,
      0x3b,
      0x09,
      0x3d,
      0x2d,
      0x41,
      0xef,
      0xbb,
      0xbf,
      0xff,
      0xfe,
      0x80,
    ),
    flipMask: 0x20,
  });
}

/** CSV built from a grammar of the cells and separators that matter. */
const csvGrammar = fc
  .array(
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'DMPXK0AAHP5Q',
          'SDMPXK0AAHP5Q',
          'Serial Number',
          'N° de série',
          'Computer Serial',
          'Barcode 1',
          '3,5E+14',
          '="F9FXK0AAHP5Q"',
          '"',
          '""',
          '"a,b"',
          'sep=;',
          '\uFEFF',
          '\u200B',
          '',
        ),
        fc.stringMatching(/^[A-Z0-9]{0,16}$/),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 6 },
    ),
    { maxLength: 12 },
  )
  .chain((rows) =>
    fc
      .tuple(fc.constantFrom(',', ';', '\t', '|'), fc.constantFrom('\n', '\r\n', '\r'))
      .map(([d, nl]) => rows.map((r) => r.join(d)).join(nl)),
  );

const isSerialCsvError = (err: unknown) => err instanceof SerialCsvError;

const csvInputs: fc.Arbitrary<Uint8Array | string> = fc.oneof(
  { weight: 4, arbitrary: mutated(csvSeeds) },
  { weight: 3, arbitrary: csvGrammar },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 256 }) },
);

export const targets: FuzzTarget[] = [
  {
    name: 'core.readSerialCsv',
    arbitrary: csvInputs,
    run: (input) => readSerialCsv(input),
    expected: isSerialCsvError,
  },
  {
    name: 'core.readSerialCsvStream',
    arbitrary: csvInputs,
    // Streams the same input in 5-byte chunks; must agree with the in-memory reader.
    run: async (input) => {
      const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
      let memory: unknown;
      try {
        memory = readSerialCsv(bytes);
      } catch (err) {
        memory = err;
      }
      let streamed: unknown;
      try {
        streamed = await readSerialCsvStream(
          (async function* () {
            for (let at = 0; at < bytes.length; at += 5) yield bytes.subarray(at, at + 5);
          })(),
        );
      } catch (err) {
        streamed = err;
      }
      if (memory instanceof Error || streamed instanceof Error) {
        if (memory instanceof Error && streamed instanceof Error && memory.message === streamed.message) throw memory;
        throw new Error(`in-memory and streamed readers disagree: ${String(memory)} / ${String(streamed)}`);
      }
      if (JSON.stringify(memory) !== JSON.stringify(streamed)) throw new Error('in-memory and streamed results differ');
    },
    expected: isSerialCsvError,
  },
  {
    name: 'core.parsePem',
    arbitrary: fc.oneof(
      { weight: 4, arbitrary: mutated(pemSeeds).map((b) => Buffer.from(b).toString('latin1')) },
      {
        weight: 3,
        arbitrary: fc
          .array(
            fc.constantFrom(
              '-----BEGIN CERTIFICATE-----',
              '-----END CERTIFICATE-----',
              '-----BEGIN ',
              '-----',
              '\n',
              '\r\n',
              'Proc-Type: 4,ENCRYPTED',
              'MIIB',
              '====',
              'A',
              '-_',
              ' ',
            ),
            { maxLength: 60 },
          )
          .map((p) => p.join('')),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 256 }) },
    ),
    run: (input) => parsePem(typeof input === 'string' ? input : Buffer.from(input).toString('latin1')),
    expected: () => false,
  },
  {
    name: 'core.decodeBase64',
    arbitrary: fc.oneof(
      fc.string({ maxLength: 256 }),
      fc.uint8Array({ maxLength: 192 }).map((b) => Buffer.from(b).toString('base64')),
      fc.stringMatching(/^[A-Za-z0-9+/=_\- \r\n]{0,200}$/),
    ),
    run: (input) => decodeBase64(typeof input === 'string' ? input : Buffer.from(input).toString('latin1')),
    expected: () => false,
  },
];

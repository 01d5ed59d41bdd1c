/**
 * Seeds for the fuzz targets: valid files the mutations start from. Signed profiles are made
 * by openssl (the independent signer; without openssl there are none); binary plists and real
 * profiles come from the real-file corpus (`test/fixtures/real/`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integer, real, writePlist } from '../src/index.js';

const corpus = fileURLToPath(new URL('../../../test/fixtures/real/', import.meta.url));

function corpusFiles(dir: string): Uint8Array[] {
  try {
    return readdirSync(join(corpus, dir))
      .filter((f) => !f.endsWith('.md') && !f.endsWith('.json'))
      .map((f) => new Uint8Array(readFileSync(join(corpus, dir, f))))
      .filter((b) => b.length <= 64 * 1024);
  } catch {
    return [];
  }
}

/** A small enrollment profile with every kind of value. */
export const ENROLLMENT_XML = writePlist({
  PayloadContent: [
    {
      PayloadType: 'com.apple.mdm',
      PayloadIdentifier: 'org.example.mdm',
      PayloadUUID: 'A1B2C3D4-0000-4000-8000-000000000001',
      PayloadVersion: 1,
      ServerURL: 'https://mdm.example.org/mdm',
      CheckInURL: 'https://mdm.example.org/checkin',
      Topic: 'com.apple.mgmt.External.11111111-2222-3333-4444-555555555555',
      IdentityCertificateUUID: 'A1B2C3D4-0000-4000-8000-000000000002',
      AccessRights: integer(8191),
      SignMessage: true,
    },
    {
      PayloadType: 'com.apple.security.scep',
      PayloadIdentifier: 'org.example.scep',
      PayloadUUID: 'A1B2C3D4-0000-4000-8000-000000000002',
      PayloadVersion: 1,
      PayloadContent: { URL: 'https://ca.example.org/scep', Challenge: 'secret-challenge', Keysize: 2048 },
    },
  ],
  PayloadIdentifier: 'org.example.enroll',
  PayloadType: 'Configuration',
  PayloadUUID: 'A1B2C3D4-0000-4000-8000-000000000000',
  PayloadVersion: 1,
  DurationUntilRemoval: real(3600),
  RemovalDate: new Date('2030-01-01T00:00:00Z'),
  ConsentText: { default: 'Agree? <&>' },
});

let signedCache: Uint8Array[] | undefined;

/** Signed copies of {@link ENROLLMENT_XML}, made by openssl (RSA DER and PEM, EC DER). */
export function signedSeeds(): Uint8Array[] {
  if (signedCache) return signedCache;
  const out: Uint8Array[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cfg-fuzz-'));
  try {
    writeFileSync(join(dir, 'p.xml'), ENROLLMENT_XML);
    for (const [name, keyArgs] of [
      ['rsa', ['-newkey', 'rsa:2048']],
      ['ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ] as const) {
      const key = join(dir, `${name}.key`);
      const crt = join(dir, `${name}.crt`);
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          ...keyArgs,
          '-nodes',
          '-keyout',
          key,
          '-out',
          crt,
          '-subj',
          `/O=Fuzz/CN=${name}.example`,
          '-days',
          '1',
        ],
        { stdio: 'ignore' },
      );
      const der = join(dir, `${name}.der`);
      execFileSync(
        'openssl',
        [
          'cms',
          '-sign',
          '-nodetach',
          '-binary',
          '-outform',
          'der',
          '-in',
          join(dir, 'p.xml'),
          '-signer',
          crt,
          '-inkey',
          key,
          '-out',
          der,
        ],
        { stdio: 'ignore' },
      );
      out.push(new Uint8Array(readFileSync(der)));
      if (name === 'rsa') {
        out.push(
          new Uint8Array(
            execFileSync('openssl', [
              'cms',
              '-sign',
              '-nodetach',
              '-binary',
              '-outform',
              'pem',
              '-in',
              join(dir, 'p.xml'),
              '-signer',
              crt,
              '-inkey',
              key,
            ]),
          ),
        );
      }
    }
  } catch {
    // No openssl: the signed-profile targets start from random and grammar-built input only.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  signedCache = out;
  return out;
}

/** Valid XML and binary plists, and the signed profiles. */
export function plistSeeds(): Uint8Array[] {
  return [
    new TextEncoder().encode(ENROLLMENT_XML),
    ...corpusFiles('plists'),
    ...corpusFiles('profiles'),
    ...signedSeeds(),
  ];
}

import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { inspectEnrollmentProfile } from '../../src/enrollment/index.js';
import { EnrollmentProfileError } from '../../src/errors.js';
import { type PlistValue, writePlist } from '../../src/plist/index.js';
import { signCms } from '../../src/signing/index.js';
import { toPem } from '../../src/signing/pem.js';
import { MDM_UUID, mosyleLikeProfile, SCEP_CHALLENGE, SCEP_UUID } from '../fixtures/enrollment.js';
import { makePki, type TestPki } from '../fixtures/pki.js';
import { pythonDumps, tag } from '../fixtures/tagged.js';

const bytes = (v: PlistValue) => Buffer.from(writePlist(v), 'utf8');

let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});
const signed = (v: PlistValue) =>
  signCms(bytes(v), {
    certificatePem: pki.signer.certPem,
    privateKeyPem: pki.signer.keyPem,
    chainPem: pki.intermediate.certPem,
  });

function enrollmentError(fn: () => unknown): EnrollmentProfileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EnrollmentProfileError);
    return e as EnrollmentProfileError;
  }
  throw new Error('expected an EnrollmentProfileError');
}

describe('inspectEnrollmentProfile', () => {
  it('reads an unsigned Mosyle-like profile', () => {
    const info = inspectEnrollmentProfile(bytes(mosyleLikeProfile()));
    expect(info).toMatchObject({
      serverUrl: 'https://mdm.mosyle.com/mdm/server/example-school',
      checkInUrl: 'https://checkin.mosyle.com/mdm/checkin/example-school',
      checkInUrlExplicit: true,
      topic: 'com.apple.mgmt.External.4f1e7c2a-9b3d-4c5e-8f6a-0b1c2d3e4f5a',
      identity: {
        kind: 'scep',
        payloadUUID: SCEP_UUID,
        payloadType: 'com.apple.security.scep',
        payloadIdentifier: 'com.mosyle.enrollment.scep',
        url: 'https://scep.mosyle.com/scep/example-school',
      },
      signMessage: true,
      checkOutWhenRemoved: true,
      useDevelopmentApns: false,
      serverCapabilities: ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bootstraptoken'],
      profile: {
        identifier: 'com.mosyle.enrollment',
        displayName: 'MDM Profile',
        organization: 'Example School',
        uuid: '1B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E',
      },
      payloadTypes: ['com.apple.security.scep', 'com.apple.mdm', 'com.apple.security.root'],
      signed: false,
      signer: null,
      signatureValid: null,
    });
    expect(info.accessRights).toEqual({
      value: 8191,
      rights: expect.arrayContaining(['erase', 'appManagement']),
      problems: [],
    });
    expect(info.accessRights!.rights).toHaveLength(13);
    expect(info.warnings).toEqual(['The profile is not signed: devices show it as "Not Signed"']);
  });

  it('never surfaces the SCEP challenge', () => {
    const info = inspectEnrollmentProfile(bytes(mosyleLikeProfile()));
    expect(JSON.stringify(info)).not.toContain(SCEP_CHALLENGE);
    expect(inspect(info, { depth: 10 })).not.toContain(SCEP_CHALLENGE);
    const e = enrollmentError(() => inspectEnrollmentProfile(bytes(mosyleLikeProfile({ mdm: (m) => delete m.Topic }))));
    expect(JSON.stringify(e.toJSON())).not.toContain(SCEP_CHALLENGE);
  });

  it('reads a signed profile (DER and PEM) and reports its signer', () => {
    for (const input of [signed(mosyleLikeProfile()), toPem('PKCS7', signed(mosyleLikeProfile()))]) {
      const info = inspectEnrollmentProfile(input, { now: new Date('2030-01-01T00:00:00Z') });
      expect(info.signed).toBe(true);
      expect(info.signatureValid).toBe(true);
      expect(info.signer?.subject).toBe('CN=profiles.example.org,O=Example School,C=DE');
      expect(info.warnings).toEqual([]);
      expect(info.topic).toMatch(/^com\.apple\.mgmt\./);
    }
    expect(inspectEnrollmentProfile(Buffer.from(toPem('PKCS7', signed(mosyleLikeProfile())))).signed).toBe(true);
  });

  it('reports an altered signed profile and an expired signer as warnings', () => {
    const der = Buffer.from(signed(mosyleLikeProfile()));
    const at = der.indexOf(Buffer.from('mdm.mosyle.com'));
    der[at] = 'n'.charCodeAt(0);
    const info = inspectEnrollmentProfile(der);
    expect(info.signatureValid).toBe(false);
    expect(info.serverUrl).toBe('https://ndm.mosyle.com/mdm/server/example-school');
    expect(info.warnings.join('\n')).toMatch(/signature does not verify: the content does not match/);
    const later = inspectEnrollmentProfile(signed(mosyleLikeProfile()), { now: new Date('2050-01-01T00:00:00Z') });
    expect(later.warnings).toEqual(['The signer certificate expired on 2044-01-01T00:00:00.000Z']);
    const early = inspectEnrollmentProfile(signed(mosyleLikeProfile()), { now: new Date('2020-01-01T00:00:00Z') });
    expect(early.warnings).toEqual(['The signer certificate is not valid before 2024-01-01T00:00:00.000Z']);
  });

  it('defaults CheckInURL to ServerURL, as Apple specifies', () => {
    const info = inspectEnrollmentProfile(bytes(mosyleLikeProfile({ mdm: (m) => delete m.CheckInURL })));
    expect(info.checkInUrl).toBe(info.serverUrl);
    expect(info.checkInUrlExplicit).toBe(false);
  });

  it('resolves ACME, PKCS#12 and other identities, with warnings where they matter', () => {
    const acme = inspectEnrollmentProfile(
      bytes(
        mosyleLikeProfile({
          scep: (p) => {
            p.PayloadType = 'com.apple.security.acme';
            delete p.PayloadContent;
            p.DirectoryURL = 'https://acme.mosyle.com/directory';
          },
        }),
      ),
    );
    expect(acme.identity).toMatchObject({ kind: 'acme', url: 'https://acme.mosyle.com/directory' });
    const p12 = inspectEnrollmentProfile(
      bytes(mosyleLikeProfile({ scep: (p) => (p.PayloadType = 'com.apple.security.pkcs12') })),
    );
    expect(p12.identity.kind).toBe('pkcs12');
    expect(p12.warnings.join('\n')).toMatch(/PKCS#12 identity: Apple warns/);
    const other = inspectEnrollmentProfile(
      bytes(mosyleLikeProfile({ scep: (p) => (p.PayloadType = 'com.apple.security.pem') })),
    );
    expect(other.identity).toMatchObject({ kind: 'unknown', payloadType: 'com.apple.security.pem' });
    expect(other.warnings.join('\n')).toMatch(
      /PayloadContent\[1\]\.IdentityCertificateUUID points at a com\.apple\.security\.pem/,
    );
  });

  it('resolves an identity UUID that differs only in case, with a warning', () => {
    const info = inspectEnrollmentProfile(
      bytes(mosyleLikeProfile({ mdm: (m) => (m.IdentityCertificateUUID = SCEP_UUID.toLowerCase()) })),
    );
    expect(info.identity.payloadUUID).toBe(SCEP_UUID);
    expect(info.warnings.join('\n')).toMatch(/only when ignoring case/);
  });

  it('decodes AccessRights and reports broken rules as problems and warnings', () => {
    const info = inspectEnrollmentProfile(bytes(mosyleLikeProfile({ mdm: (m) => (m.AccessRights = 2 | 4) })));
    expect(info.accessRights).toMatchObject({ value: 6, rights: ['installRemoveProfiles', 'lockAndRemovePasscode'] });
    expect(info.accessRights!.problems.map((p) => p.code)).toEqual(['install-profiles-without-inspect']);
    expect(info.warnings.join('\n')).toMatch(/PayloadContent\[1\]\.AccessRights: AccessRights sets 2/);
    const none = inspectEnrollmentProfile(bytes(mosyleLikeProfile({ mdm: (m) => delete m.AccessRights })));
    expect(none.accessRights).toBeNull();
    const dev = inspectEnrollmentProfile(bytes(mosyleLikeProfile({ mdm: (m) => (m.UseDevelopmentAPNS = true) })));
    expect(dev.useDevelopmentApns).toBe(true);
    expect(dev.warnings.join('\n')).toMatch(/UseDevelopmentAPNS is true/);
  });

  const broken: [name: string, profile: PlistValue, message: RegExp, path: string][] = [
    [
      'no MDM payload',
      mosyleLikeProfile({
        root: (r) => (r.PayloadContent = (r.PayloadContent as PlistValue[]).filter((_, i) => i !== 1)),
      }),
      /no com\.apple\.mdm payload/,
      'PayloadContent',
    ],
    [
      'two MDM payloads',
      mosyleLikeProfile({ root: (r) => (r.PayloadContent as PlistValue[]).push({ PayloadType: 'com.apple.mdm' }) }),
      /2 com\.apple\.mdm payloads/,
      'PayloadContent[3]',
    ],
    [
      'a missing ServerURL',
      mosyleLikeProfile({ mdm: (m) => delete m.ServerURL }),
      /ServerURL is missing/,
      'PayloadContent[1].ServerURL',
    ],
    [
      'an http ServerURL',
      mosyleLikeProfile({ mdm: (m) => (m.ServerURL = 'http://mdm.mosyle.com/x') }),
      /must be an https:\/\/ URL/,
      'PayloadContent[1].ServerURL',
    ],
    [
      'a ServerURL that is no URL',
      mosyleLikeProfile({ mdm: (m) => (m.ServerURL = 'https://') }),
      /not a valid URL/,
      'PayloadContent[1].ServerURL',
    ],
    [
      'a non-string ServerURL',
      mosyleLikeProfile({ mdm: (m) => (m.ServerURL = 5) }),
      /not a string/,
      'PayloadContent[1].ServerURL',
    ],
    [
      'an invalid CheckInURL',
      mosyleLikeProfile({ mdm: (m) => (m.CheckInURL = 'ftp://x') }),
      /CheckInURL must be an https/,
      'PayloadContent[1].CheckInURL',
    ],
    [
      'a missing Topic',
      mosyleLikeProfile({ mdm: (m) => delete m.Topic }),
      /Topic is missing/,
      'PayloadContent[1].Topic',
    ],
    [
      'a Topic without the prefix',
      mosyleLikeProfile({ mdm: (m) => (m.Topic = 'com.example.push') }),
      /does not start with "com\.apple\.mgmt\."/,
      'PayloadContent[1].Topic',
    ],
    [
      'a missing IdentityCertificateUUID',
      mosyleLikeProfile({ mdm: (m) => delete m.IdentityCertificateUUID }),
      /IdentityCertificateUUID is missing/,
      'PayloadContent[1].IdentityCertificateUUID',
    ],
    [
      'an identity UUID that resolves nowhere',
      mosyleLikeProfile({ mdm: (m) => (m.IdentityCertificateUUID = MDM_UUID.replace('2A', '3A')) }),
      /matches no payload/,
      'PayloadContent[1].IdentityCertificateUUID',
    ],
    [
      'AccessRights of the wrong type',
      mosyleLikeProfile({ mdm: (m) => (m.AccessRights = 'all') }),
      /AccessRights is not an integer/,
      'PayloadContent[1].AccessRights',
    ],
    [
      'SignMessage of the wrong type',
      mosyleLikeProfile({ mdm: (m) => (m.SignMessage = 'yes') }),
      /SignMessage is not a boolean/,
      'PayloadContent[1].SignMessage',
    ],
    [
      'bad ServerCapabilities',
      mosyleLikeProfile({ mdm: (m) => (m.ServerCapabilities = [1]) }),
      /ServerCapabilities is not an array of strings/,
      'PayloadContent[1].ServerCapabilities',
    ],
    [
      'a missing PayloadContent',
      mosyleLikeProfile({ root: (r) => delete r.PayloadContent }),
      /PayloadContent is missing/,
      'PayloadContent',
    ],
    [
      'an encrypted profile',
      mosyleLikeProfile({
        root: (r) => {
          r.IsEncrypted = true;
          r.EncryptedPayloadContent = new Uint8Array(4);
        },
      }),
      /encrypted/,
      'EncryptedPayloadContent',
    ],
    ['a root that is not a dictionary', ['x'], /not a dictionary/, ''],
  ];
  it.each(broken)('rejects %s with the key path', (_name, profile, message, path) => {
    const e = enrollmentError(() => inspectEnrollmentProfile(bytes(profile)));
    expect(e.message).toMatch(message);
    expect(e.path).toBe(path);
  });

  it('wraps unreadable input in an EnrollmentProfileError with the cause', () => {
    const e = enrollmentError(() => inspectEnrollmentProfile('<plist><dict><key>a</key></dict></plist>'));
    expect(e.message).toMatch(/not a readable profile: Invalid XML plist: key "a" has no value/);
    expect(e.hint).toMatch(/enrollment URL served/);
    const cms = enrollmentError(() => inspectEnrollmentProfile(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])));
    expect(cms.message).toMatch(/Malformed CMS/);
  });
});

describe.skipIf(!peers.openssl || !peers.python3)('inspectEnrollmentProfile with profiles made by peers', () => {
  const tmp = tempDir('configurator-enroll-');
  afterAll(() => tmp.cleanup());

  it('reads a binary enrollment profile written by plistlib and signed by openssl', () => {
    const [bin] = pythonDumps([{ fmt: 'binary', value: tag(mosyleLikeProfile()) }]);
    writeFileSync(tmp.path('enroll.bplist'), bin!);
    writeFileSync(tmp.path('signer.pem'), pki.signer.certPem);
    writeFileSync(tmp.path('signer.key'), pki.signer.keyPem);
    runPeer('openssl', [
      'cms',
      '-sign',
      '-nodetach',
      '-binary',
      '-in',
      tmp.path('enroll.bplist'),
      '-signer',
      tmp.path('signer.pem'),
      '-inkey',
      tmp.path('signer.key'),
      '-outform',
      'der',
      '-out',
      tmp.path('enroll.mobileconfig'),
    ]);
    const unsigned = inspectEnrollmentProfile(bin!);
    const info = inspectEnrollmentProfile(readFileSync(tmp.path('enroll.mobileconfig')), {
      now: new Date('2030-01-01Z'),
    });
    expect(info.signatureValid).toBe(true);
    expect(info.signer?.serialNumber).toBe('C0FFEE01');
    expect({ ...info, signed: false, signer: null, signatureValid: null, warnings: [] }).toEqual({
      ...unsigned,
      warnings: [],
    });
  });
});

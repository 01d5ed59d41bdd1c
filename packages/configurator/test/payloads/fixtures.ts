/**
 * Shared inputs for builder and profile tests: a test PKI (from the signing tests' fixture),
 * a PKCS#12 identity made from it, and one payload of every builder.
 */
import forge from 'node-forge';
import {
  homeScreenLayout,
  lockScreenMessage,
  type PayloadInput,
  payload,
  pkcs12Identity,
  restrictions,
  rootCertificate,
  scep,
  webClip,
  wifi,
} from '../../src/index.js';
import { makePki, type TestPki } from '../fixtures/pki.js';

let pki: TestPki | undefined;
/** One test PKI per test file (RSA key generation is the slow part). */
export function testPki(): TestPki {
  pki ??= makePki();
  return pki;
}

const p12Cache = new Map<string, Uint8Array>();
/**
 * The PKI's signer identity as a PKCS#12 (3DES/SHA-1, the format every iOS version imports).
 * Cached per password: PKCS#12 salts are random, and tests compare rebuilt profiles byte for byte.
 */
export function pkcs12Bytes(password: string): Uint8Array {
  const cached = p12Cache.get(password);
  if (cached) return cached;
  const { signer, intermediate } = testPki();
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(signer.keyPem),
    [forge.pki.certificateFromPem(signer.certPem), forge.pki.certificateFromPem(intermediate.certPem)],
    password,
    { algorithm: '3des' },
  );
  const bytes = new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  p12Cache.set(password, bytes);
  return bytes;
}

/** A PKCS#12 with only a certificate, no key. */
export function pkcs12WithoutKey(password: string): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(null, [forge.pki.certificateFromPem(testPki().root.certPem)], password, {
    algorithm: '3des',
  });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

/** Strings that break naive XML writers, signers and parsers. */
export const HOSTILE = [
  '<&>]]>',
  'Gäste 🎒 Ümläut ß',
  'tab\there',
  'cr\rlf\r\nend',
  '"quotes" \'and\' &amp;',
  '💩\u{1F3FB}',
];

/** One payload of every builder, cross-referenced the way a school profile would be. */
export function everyBuilder(): PayloadInput[] {
  const ca = rootCertificate({ certificate: testPki().root.certPem });
  const identity = pkcs12Identity({ data: pkcs12Bytes('p12-secret'), password: 'p12-secret', name: 'ipad.p12' });
  const enroll = scep({
    url: 'https://scep.example.org/scep',
    subject: 'CN=iPad,O=Example School',
    challenge: 'scep-secret',
    keyUsage: ['signing', 'encryption'],
  });
  return [
    ca,
    identity,
    enroll,
    wifi({ ssid: 'Schul-WLAN', security: 'WPA2', password: 'psk-secret-1', autoJoin: true }),
    wifi({
      ssid: 'eduroam',
      security: 'WPA2',
      eap: { acceptEapTypes: ['TLS'], trustedCertificates: [ca], trustedServerNames: ['radius.example.org'] },
      identityCertificate: identity,
    }),
    webClip({ url: 'https://portal.example.org', label: 'Portal', icon: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }),
    homeScreenLayout({
      dock: ['com.apple.mobilesafari'],
      pages: [
        [
          'com.apple.Keynote',
          { folder: 'Schule', pages: [['com.apple.Pages']] },
          { webClip: 'https://portal.example.org' },
        ],
      ],
    }),
    restrictions({ airDrop: false, eraseContentAndSettings: false, ratingApps: 600, safariAcceptCookies: 1 }),
    lockScreenMessage({ footnote: 'Example School, +49 30 123456', assetTag: 'INV-0042' }),
    payload('com.apple.mdm', {
      IdentityCertificateUUID: enroll,
      Topic: 'com.apple.mgmt.External.0f4c9a47-2d5e-4e11-9a39-6b1aa1e5a001',
      ServerURL: 'https://mdm.example.org/server',
      AccessRights: 8191,
    }),
  ];
}

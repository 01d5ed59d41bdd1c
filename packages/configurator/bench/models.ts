/**
 * Realistic profile models shared by the configurator benchmarks.
 */
import forge from 'node-forge';
import type { PlistValue } from '../src/plist/index.js';
import { real } from '../src/plist/index.js';

const uuid = (i: number) => `5B0C1C5E-4A3F-5D2B-9E51-${i.toString(16).toUpperCase().padStart(12, '0')}`;

/** The bootstrap Wi-Fi profile: one small payload (≈1 KB of XML). */
export const wifiProfile: PlistValue = {
  PayloadContent: [
    {
      AutoJoin: true,
      EncryptionType: 'WPA2',
      HIDDEN_NETWORK: false,
      Password: 'Schul-Passwort-2025!',
      PayloadIdentifier: 'org.example.school.bootstrap-wifi.wifi',
      PayloadType: 'com.apple.wifi.managed',
      PayloadUUID: uuid(1),
      PayloadVersion: 1,
      SSID_STR: 'Schul-WLAN Gäste',
    },
  ],
  PayloadDisplayName: 'School Wi-Fi (setup)',
  PayloadIdentifier: 'org.example.school.bootstrap-wifi',
  PayloadType: 'Configuration',
  PayloadUUID: uuid(0),
  PayloadVersion: 1,
  TargetDeviceType: 1,
};

/** Wi-Fi + MDM + SCEP + restrictions (≈130 keys) + web clip with an icon: a typical school profile. */
export const schoolProfile: PlistValue = (() => {
  const restrictions: Record<string, PlistValue> = {
    PayloadIdentifier: 'org.example.school.restrictions',
    PayloadType: 'com.apple.applicationaccess',
    PayloadUUID: uuid(10),
    PayloadVersion: 1,
  };
  for (let i = 0; i < 120; i++) restrictions[`allowFeature${String(i).padStart(3, '0')}`] = i % 3 !== 0;
  restrictions.ratingApps = 600;
  restrictions.ratingRegion = 'de';
  return {
    PayloadContent: [
      (wifiProfile as { PayloadContent: PlistValue[] }).PayloadContent[0]!,
      {
        PayloadContent: {
          Challenge: 'challenge-value',
          'Key Type': 'RSA',
          'Key Usage': 5,
          Keysize: 2048,
          Subject: [[['CN', 'MDM Identity']], [['O', 'Example School']]],
          URL: 'https://scep.example.org/scep',
        },
        PayloadIdentifier: 'org.example.school.scep',
        PayloadType: 'com.apple.security.scep',
        PayloadUUID: uuid(11),
        PayloadVersion: 1,
      },
      {
        AccessRights: 8191,
        CheckInURL: 'https://mdm.example.org/checkin',
        IdentityCertificateUUID: uuid(11),
        PayloadIdentifier: 'org.example.school.mdm',
        PayloadType: 'com.apple.mdm',
        PayloadUUID: uuid(12),
        PayloadVersion: 1,
        ServerCapabilities: ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bootstraptoken'],
        ServerURL: 'https://mdm.example.org/server',
        SignMessage: true,
        Topic: 'com.apple.mgmt.External.4f1e7c2a-9b3d-4c5e-8f6a-0b1c2d3e4f5a',
      },
      restrictions,
      {
        FullScreen: true,
        Icon: new Uint8Array(4096).map((_, i) => (i * 31) & 0xff),
        IsRemovable: false,
        Label: 'Schulportal <Äpfel & Birnen>',
        PayloadIdentifier: 'org.example.school.webclip',
        PayloadType: 'com.apple.webClip.managed',
        PayloadUUID: uuid(13),
        PayloadVersion: 1,
        URL: 'https://portal.example.org/?a=1&b=2',
      },
    ],
    DurationUntilRemoval: real(31536000),
    PayloadDisplayName: 'Example School',
    PayloadIdentifier: 'org.example.school',
    PayloadOrganization: 'Example School',
    PayloadType: 'Configuration',
    PayloadUUID: uuid(2),
    PayloadVersion: 1,
    RemovalDate: new Date('2030-07-31T23:59:59Z'),
  };
})();

/** 200 Wi-Fi payloads in one profile (≈90 KB of XML): a stress case for the writer. */
export const bigProfile: PlistValue = {
  PayloadContent: Array.from({ length: 200 }, (_, i) => ({
    AutoJoin: i % 2 === 0,
    EncryptionType: 'WPA2',
    Password: `pass-${i}-<&>`,
    PayloadIdentifier: `org.example.school.wifi.${i}`,
    PayloadType: 'com.apple.wifi.managed',
    PayloadUUID: uuid(100 + i),
    PayloadVersion: 1,
    Priority: 0.5 + i,
    SSID_STR: `Schule Raum ${i} 🎒`,
  })),
  PayloadIdentifier: 'org.example.school.many-wifi',
  PayloadType: 'Configuration',
  PayloadUUID: uuid(3),
  PayloadVersion: 1,
};

/**
 * The baseline both signing benchmarks measure against: node-forge's pkcs7 SignedData with the
 * same certificates and signed attributes as ours, keys and certificates parsed once up front.
 */
export function forgeSigner(keyPem: string, certPem: string, chainPem: string): (bytes: Uint8Array) => Uint8Array {
  const forgeKey = forge.pki.privateKeyFromPem(keyPem);
  const forgeCert = forge.pki.certificateFromPem(certPem);
  const forgeChain = forge.pki.certificateFromPem(chainPem);
  return (bytes) => {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(Buffer.from(bytes).toString('binary'));
    p7.addCertificate(forgeCert);
    p7.addCertificate(forgeChain);
    p7.addSigner({
      key: forgeKey,
      certificate: forgeCert,
      digestAlgorithm: forge.pki.oids.sha256!,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
        { type: forge.pki.oids.messageDigest! },
        { type: forge.pki.oids.signingTime!, value: new Date() as unknown as string },
      ],
    });
    p7.sign({ detached: false });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  };
}

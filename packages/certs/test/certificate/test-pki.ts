/**
 * A throw-away PKI for tests, built in-process (node-forge encodes, node:crypto signs), so the
 * push-request and certificate tests also run where openssl is missing. Keys are generated once
 * per process and reused, because RSA generation dominates test time.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

const UID_OID = '0.9.2342.19200300.100.1.1';

/** A certificate and its key. */
export interface TestCert {
  certPem: string;
  der: Buffer;
  key: KeyObject;
  keyPem: string;
  subject: Array<[string, string]>;
}

const keyPool: KeyObject[] = [];
/** The n-th pooled RSA-2048 key (generated on first use). */
export function rsaKey(n: number): KeyObject {
  while (keyPool.length <= n) {
    keyPool.push(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  }
  return keyPool[n]!;
}

/** Options of {@link makeCert}. */
export interface MakeCertOptions {
  /** Attributes in encoded order: `['C', 'US']`, `['UID', 'com.apple.mgmt.External.x']`, `['CN', '…']`. */
  subject: Array<[string, string]>;
  /** Issuer; self-signed when absent. */
  issuer?: TestCert;
  key: KeyObject;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

const SHORT: Record<string, string> = {
  C: '2.5.4.6',
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  UID: UID_OID,
  emailAddress: '1.2.840.113549.1.9.1',
};

function forgeName(subject: Array<[string, string]>) {
  return subject.map(([type, value]) => ({
    type: SHORT[type] ?? type,
    value, // forge's DN encoder UTF-8 encodes UTF8String values itself
    valueTagClass: type === 'C' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8,
  }));
}

/** Builds a certificate signed (SHA256withRSA) by `issuer` or by itself. */
export function makeCert(options: MakeCertOptions): TestCert {
  const cert = forge.pki.createCertificate();
  const spki = createPublicKey(options.key).export({ type: 'spki', format: 'der' });
  const rsa = options.key.asymmetricKeyType === 'rsa';
  // forge models RSA keys only; other keys get a stand-in RSA key whose SPKI is swapped below.
  cert.publicKey = forge.pki.publicKeyFromAsn1(
    forge.asn1.fromDer(
      (rsa ? spki : createPublicKey(rsaKey(0)).export({ type: 'spki', format: 'der' })).toString('binary'),
    ),
  );
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  // Set attributes directly (not setSubject) so the string types are exactly as given.
  (cert.subject as unknown as { attributes: unknown[] }).attributes = forgeName(options.subject);
  (cert.issuer as unknown as { attributes: unknown[] }).attributes = forgeName(
    options.issuer ? options.issuer.subject : options.subject,
  );
  cert.setExtensions(
    options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [{ name: 'basicConstraints', cA: false }],
  );
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = oid;
  (cert as unknown as { signatureOid: string }).signatureOid = oid;
  const pki = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  const tbs = pki.getTBSCertificate(cert);
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo…
  if (!rsa) (tbs.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(spki.toString('binary'));
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  const signer = options.issuer?.key ?? options.key;
  if (signer.asymmetricKeyType !== 'rsa') throw new Error('test PKI: issuers must have RSA keys');
  cert.signature = sign('sha256', tbsDer, signer).toString('binary');
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'),
    der,
    key: options.key,
    keyPem: options.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    subject: options.subject,
  };
}

/** Root → WWDR-like intermediate → vendor certificate, plus a decoy intermediate of another "generation". */
export function vendorPki() {
  const root = makeCert({
    subject: [
      ['C', 'US'],
      ['O', 'Test Apple Inc.'],
      ['CN', 'Test Root CA'],
    ],
    key: rsaKey(0),
    ca: true,
  });
  const wwdr = makeCert({
    subject: [
      ['C', 'US'],
      ['O', 'Test Apple Inc.'],
      ['OU', 'G3'],
      ['CN', 'Test WWDR CA'],
    ],
    key: rsaKey(1),
    issuer: root,
    ca: true,
  });
  const decoy = makeCert({
    subject: [
      ['C', 'US'],
      ['O', 'Test Apple Inc.'],
      ['OU', 'G4'],
      ['CN', 'Test WWDR CA'],
    ],
    key: rsaKey(2),
    issuer: root,
    ca: true,
  });
  const vendor = makeCert({
    subject: [
      ['C', 'US'],
      ['O', 'Example MDM Vendor'],
      ['CN', 'MDM CSR: Example Vendor'],
    ],
    key: rsaKey(3),
    issuer: wwdr,
  });
  return { root, wwdr, decoy, vendor };
}

/** A push-like certificate: `UID=<topic>, CN=APSP:<uuid>, C=US`, issued by `issuer`. */
export function pushCert(topic: string, issuer: TestCert, key: KeyObject, notAfter?: Date): TestCert {
  return makeCert({
    subject: [
      ['UID', topic],
      ['CN', `APSP:${topic.split('.').pop()}`],
      ['C', 'US'],
    ],
    key,
    issuer,
    ...(notAfter ? { notAfter } : {}),
  });
}

/** Private key PEM → KeyObject (for assertions). */
export function keyOf(pem: string): KeyObject {
  return createPrivateKey(pem);
}

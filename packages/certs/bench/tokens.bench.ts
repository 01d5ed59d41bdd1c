/**
 * Token benchmarks for `@schoolmdm/certs`.
 *
 * - `decryptServerToken` on a realistic token (Apple's shape: S/MIME, indefinite-length BER,
 *   RSA-2048 PKCS#1 v1.5 key transport, AES-128-CBC), key and certificate parsed on every call as
 *   a caller would. Goal: median ≤ 50 ms (issue #4). Baseline, interleaved in the same run: the
 *   plain node-forge pipeline certs.md §1.3 measured at ~25 ms (strip MIME, Base64, `asn1.fromDer`,
 *   `pkcs7.messageFromAsn1`, `findRecipient`, `decrypt`), key parsed each call too.
 * - The same without a certificate (the key is tried on every recipient).
 * - `inspectServerToken` (no key) and `parseContentToken`: file parsing only.
 */
import forge from 'node-forge';
import { type BenchReport, compare, measure } from '../../../bench/harness.js';
import { decryptServerToken, inspectServerToken, parseContentToken } from '../src/index.js';
import { createContentTokenFile, createTestRecipient, encryptServerToken } from '../src/testing/index.js';

const TOKEN = {
  consumerKey: 'CK_48dd68d198350f51258e885ce9a5c37ab7f98543c4f697bf0e7fa4e6e6b2cb3f',
  consumerSecret: 'CS_b6a3f8e2d1c4a7b9e0f3d6c9a2b5e8f1d4c7a0b3e6f9c2d5e8f1a4b7c0d3e6f9',
  accessToken: 'AT_O1737111741803Oc0d8e2f5a9b1c4d7e0f3a6b9c2d5e8f1a4b7c0d3e6f9a2b5c8',
  accessSecret: 'AS_9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a9',
  accessTokenExpiry: new Date('2026-01-17T11:02:21Z'),
};

/** The forge-only pipeline (certs.md §1.3): what one would write without this package. */
function forgeDecrypt(p7m: string, keyPem: string, certPem: string): string {
  const body = p7m.slice(p7m.search(/\r?\n\r?\n/)).replace(/\s+/g, '');
  const msg = forge.pkcs7.messageFromAsn1(
    forge.asn1.fromDer(forge.util.decode64(body)),
  ) as forge.pkcs7.PkcsEnvelopedData & {
    findRecipient(cert: forge.pki.Certificate): unknown;
    decrypt(recipient: unknown, key: forge.pki.rsa.PrivateKey): void;
  };
  const recipient = msg.findRecipient(forge.pki.certificateFromPem(certPem));
  msg.decrypt(recipient, forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey);
  const text = (msg.content as forge.util.ByteStringBuffer).getBytes();
  const json = JSON.parse(/-----BEGIN MESSAGE-----\n(.*)\n-----END MESSAGE-----/s.exec(text)![1]!) as {
    access_token: string;
  };
  return json.access_token;
}

export default async function (): Promise<BenchReport> {
  const mdm = createTestRecipient();
  const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });

  // Sanity: both pipelines must produce the same secret before we time them.
  const ours = decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem, certificatePem: mdm.certificatePem });
  if (
    ours.accessToken !== TOKEN.accessToken ||
    forgeDecrypt(p7m, mdm.privateKeyPkcs1Pem, mdm.certificatePem) !== TOKEN.accessToken
  ) {
    throw new Error('token benchmark: decryption results differ');
  }

  const withCert = await compare(
    () => decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem, certificatePem: mdm.certificatePem }),
    () => forgeDecrypt(p7m, mdm.privateKeyPkcs1Pem, mdm.certificatePem),
    { iterations: 60, warmup: 5 },
  );
  const keyOnly = await measure(() => decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem }), {
    iterations: 60,
    warmup: 5,
  });
  const inspect = await measure(() => inspectServerToken(p7m).matchesCertificate(mdm.certificatePem), {
    iterations: 300,
    warmup: 20,
  });
  const contentFile = createContentTokenFile({
    orgName: 'Springfield Elementary',
    expiresAt: new Date('2030-11-08T22:33:22Z'),
  });
  const content = await measure(() => parseContentToken(contentFile), { iterations: 2000, warmup: 100 });

  return {
    id: 'certs/tokens',
    rows: [
      {
        name: 'decryptServerToken (S/MIME, BER, RSA-2048 PKCS#1 v1.5, AES-128-CBC) vs node-forge pkcs7',
        subject: withCert.subject,
        baseline: withCert.baseline,
        ratio: withCert.ratio,
        goal: 'median ≤ 50 ms',
        pass: withCert.subject.medianMs <= 50,
        metrics: { speedupVsForge: 1 / withCert.ratio },
      },
      {
        name: 'decryptServerToken without certificate (key tried on each recipient)',
        subject: keyOnly,
        goal: 'median ≤ 50 ms',
        pass: keyOnly.medianMs <= 50,
      },
      {
        name: 'inspectServerToken + matchesCertificate (no key)',
        subject: inspect,
        goal: 'median ≤ 5 ms (parsing only)',
        pass: inspect.medianMs <= 5,
      },
      {
        name: 'parseContentToken',
        subject: content,
        goal: 'median ≤ 1 ms',
        pass: content.medianMs <= 1,
      },
    ],
  };
}

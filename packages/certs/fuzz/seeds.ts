/**
 * Seed files for the certs fuzz targets, made by openssl (the independent peer) where it is
 * installed: a self-signed certificate (PEM and DER), a CSR, a PKCS#12 file, a server token
 * encrypted with `openssl cms -encrypt` (S/MIME, DER and PEM), plus a content token and a push
 * request plist. Without openssl, the package's own `testing` builders stand in.
 *
 * Generated once per process, lazily, so importing the targets costs nothing until they run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createContentTokenFile,
  createTestRecipient,
  encryptServerToken,
  formatServerTokenMessage,
} from '../src/testing/index.js';

export interface CertsSeeds {
  /** PEM text and DER bytes of certificates. */
  certificates: Array<string | Uint8Array>;
  /** Server tokens: S/MIME text, PEM, DER. */
  tokens: Array<string | Uint8Array>;
  /** The private key that opens `tokens`. */
  tokenKeyPem: string;
  /** PKCS#12 files, password `pw`. */
  pkcs12: Uint8Array[];
  /** Push-certificate requests: XML plist text and its Base64. */
  pushRequests: string[];
  /** Content-token files. */
  contentTokens: string[];
}

const TOKEN = {
  consumerKey: 'CK_fuzz',
  consumerSecret: 'CS_fuzz',
  accessToken: 'AT_fuzz',
  accessSecret: 'AS_fuzz',
  accessTokenExpiry: new Date('2030-01-01T00:00:00Z'),
};

let cached: CertsSeeds | undefined;

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function plist(csrDerBase64: string, chainPem: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>PushCertRequestCSR</key>
\t<string>${csrDerBase64}</string>
\t<key>PushCertCertificateChain</key>
\t<string>${chainPem}</string>
\t<key>PushCertSignature</key>
\t<string>AAAA</string>
</dict>
</plist>
`;
}

/** The seeds (made on first call). */
export function certsSeeds(): CertsSeeds {
  if (cached) return cached;
  const recipient = createTestRecipient({ modulusLength: 1024, commonName: 'fuzz' });
  const contentTokens = [
    createContentTokenFile({ orgName: 'Fuzz School', expiresAt: new Date('2030-01-01T00:00:00Z') }),
    createContentTokenFile({
      orgName: 'École',
      expiresAt: new Date('2020-01-01T00:00:00Z'),
      offsetStyle: 'Z',
      pretty: false,
    }),
  ];
  if (!hasOpenssl()) {
    const smime = encryptServerToken({ token: TOKEN, recipientCertificatePem: recipient.certificatePem });
    const der = encryptServerToken({ token: TOKEN, recipientCertificatePem: recipient.certificatePem, smime: false });
    cached = {
      certificates: [recipient.certificatePem],
      tokens: [smime, der],
      tokenKeyPem: recipient.privateKeyPem,
      pkcs12: [],
      pushRequests: [plist('MAMCAQE=', recipient.certificatePem)],
      contentTokens,
    };
    return cached;
  }
  const dir = mkdtempSync(join(tmpdir(), 'certs-fuzz-seeds-'));
  const run = (args: string[], input?: string | Uint8Array) =>
    execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:1024',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-subj',
      '/C=US/O=Fuzz, Inc./CN=depserver',
      '-days',
      '30',
    ]);
    run(['x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der']);
    run([
      'req',
      '-new',
      '-key',
      'k.pem',
      '-subj',
      '/CN=Fuzz School/emailAddress=it@fuzz.example',
      '-outform',
      'DER',
      '-out',
      'r.der',
    ]);
    // PKCS#12 with a low iteration count so 100,000 cases stay fast; -legacy-free AES default.
    run(['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-passout', 'pass:pw', '-iter', '1', '-out', 'a.p12']);
    run([
      'pkcs12',
      '-export',
      '-inkey',
      'k.pem',
      '-in',
      'c.pem',
      '-passout',
      'pass:pw',
      '-iter',
      '1',
      '-nomac',
      '-out',
      'b.p12',
    ]);
    writeFileSync(join(dir, 'msg.txt'), formatServerTokenMessage(TOKEN));
    run(['cms', '-encrypt', '-aes128', '-in', 'msg.txt', '-binary', '-out', 't.smime', 'c.pem']);
    run(['cms', '-encrypt', '-aes256', '-in', 'msg.txt', '-binary', '-outform', 'DER', '-out', 't.der', 'c.pem']);
    run(['cms', '-encrypt', '-des3', '-in', 'msg.txt', '-binary', '-outform', 'PEM', '-out', 't.pem', 'c.pem']);
    const read = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
    const certPem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const xml = plist(Buffer.from(read('r.der')).toString('base64'), certPem);
    cached = {
      certificates: [certPem, read('c.der'), recipient.certificatePem],
      tokens: [readFileSync(join(dir, 't.smime'), 'utf8'), read('t.der'), readFileSync(join(dir, 't.pem'), 'utf8')],
      tokenKeyPem: readFileSync(join(dir, 'k.pem'), 'utf8'),
      pkcs12: [read('a.p12'), read('b.p12')],
      pushRequests: [xml, Buffer.from(xml).toString('base64')],
      contentTokens,
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

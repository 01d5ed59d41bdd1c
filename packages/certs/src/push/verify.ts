/**
 * Checking a push-certificate request received from a vendor (Mosyle hands out a `.csr`-named
 * Base64 plist, certs.md §4) before uploading it at identity.apple.com.
 */

import { verify, type X509Certificate } from 'node:crypto';
import { type CertificateInfo, inspectCertificate } from '../certificate/inspect.js';
import { formatName } from '../certificate/name.js';
import { parseCsr } from '../csr/parse.js';
import { MalformedInputError } from '../errors.js';
import { checkArgument, INPUT_RULE } from '../internal/args.js';
import { guardInput } from '../internal/guard.js';
import { asText, decodeBase64Strict, looksLikeDer } from '../internal/pem.js';
import { certificatesFromPem, isSelfSignedRoot, issuedBy } from './chain.js';
import { readStringDictPlist } from './plist.js';
import { PUSH_REQUEST_KEYS } from './sign.js';

/** What {@link verifyPushCertificateRequest} found. */
export interface PushCertificateRequestCheck {
  /** True when every check passed: CSR self-signature, vendor signature (SHA-256), chain order and PEM form. */
  valid: boolean;
  /** The embedded CSR as PEM. */
  csrPem: string;
  /** The embedded CSR as DER (the signed bytes). */
  csrDer: Uint8Array;
  /** The CSR subject, RFC 4514 (e.g. `emailAddress=…,CN=…,C=US`). */
  csrSubject: string;
  /** The CSR's own signature verifies. */
  csrSignatureValid: boolean;
  /** Each certificate of `PushCertCertificateChain` as it appears in the file, in order. */
  chainPem: string[];
  /** The same certificates, inspected. */
  chain: CertificateInfo[];
  /** The first chain certificate: the vendor's "MDM CSR" certificate. */
  vendorCertificate: CertificateInfo;
  /** The decoded `PushCertSignature`. */
  signature: Uint8Array;
  /** `PushCertSignature` verifies as SHA256withRSA over the DER CSR with the vendor certificate's key. */
  signatureValid: boolean;
  /** The hash the signature verified with: `sha256`, or `sha1` for requests made per Apple's old documentation. */
  signatureHash: 'sha256' | 'sha1' | undefined;
  /** Each chain certificate is issued by the next, ending at a self-signed root. */
  chainValid: boolean;
  /** Human-readable reasons for every failed check. */
  problems: string[];
  /** The decoded plist XML. */
  plistXml: string;
}

const WHAT = 'push certificate request';

/**
 * Decodes a push-certificate request (the Base64 plist, or its XML) and checks it: the CSR's
 * self-signature, the vendor signature over the DER CSR, the chain order (vendor → WWDR → root) and
 * 64-character PEM lines. Failed checks are reported in `problems`, not thrown; only unreadable
 * input throws.
 *
 * @example
 * ```ts
 * const check = verifyPushCertificateRequest(await readFile('mosyle_push.csr', 'utf8'));
 * if (!check.valid) console.error(check.problems);
 * ```
 * @throws {MalformedInputError} Not Base64 of an XML plist, a key is missing, or a part does not parse.
 */
export function verifyPushCertificateRequest(base64: string | Uint8Array): PushCertificateRequestCheck {
  checkArgument('base64', base64, INPUT_RULE, 'Pass the Base64 text or the file bytes.');
  return guardInput(WHAT, () => check(base64));
}

function check(base64: string | Uint8Array): PushCertificateRequestCheck {
  const raw = asText(base64).replace(/^\uFEFF/, '');
  const plistXml = raw.trimStart().startsWith('<') ? raw : decodeToXml(raw.trim());
  const dict = readStringDictPlist(plistXml, WHAT);
  const field = (key: (typeof PUSH_REQUEST_KEYS)[number]): string => {
    const v = dict.get(key);
    if (!v) {
      throw new MalformedInputError(WHAT, `the plist has no "${key}"`, {
        hint: `A push request holds ${PUSH_REQUEST_KEYS.join(', ')}.`,
      });
    }
    if (v.type === 'other') throw new MalformedInputError(WHAT, `"${key}" is not a string`);
    return v.text;
  };

  const csrDer = decodeBase64Strict(field('PushCertRequestCSR'), `${WHAT} (PushCertRequestCSR)`);
  if (!looksLikeDer(csrDer)) {
    throw new MalformedInputError(WHAT, 'PushCertRequestCSR is not Base64 of a DER CSR', {
      hint: 'The vendor must put the DER form of the CSR (openssl req -outform DER), Base64-encoded.',
    });
  }
  const csr = parseCsr(csrDer, `${WHAT} CSR`);
  const chainText = field('PushCertCertificateChain');
  const chainPem = [...chainText.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\r?\n?/g)].map(
    (m) => m[0],
  );
  const certs = certificatesFromPem(chainText, `${WHAT} (PushCertCertificateChain)`);
  const [vendor] = certs;
  if (!vendor) {
    throw new MalformedInputError(WHAT, 'PushCertCertificateChain holds no certificate', {
      hint: 'The vendor must include its certificate, the WWDR intermediate and the Apple root.',
    });
  }
  const signature = decodeBase64Strict(field('PushCertSignature'), `${WHAT} (PushCertSignature)`);

  const problems: string[] = [];
  if (!csr.signatureValid) problems.push("The CSR's self-signature does not verify.");
  let signatureHash: 'sha256' | 'sha1' | undefined;
  for (const hash of ['sha256', 'sha1'] as const) {
    if (safeVerify(hash, csr.der, vendor, signature)) {
      signatureHash = hash;
      break;
    }
  }
  const signatureValid = signatureHash === 'sha256';
  if (signatureHash === 'sha1') {
    problems.push('PushCertSignature is SHA1withRSA; Apple now expects SHA256withRSA over the DER CSR.');
  } else if (!signatureHash) {
    problems.push("PushCertSignature does not verify with the vendor certificate's key over the DER CSR.");
  }
  let chainValid = certs.length >= 2;
  if (certs.length < 2)
    problems.push('The chain has only the vendor certificate; the WWDR intermediate and root are missing.');
  for (let i = 0; i + 1 < certs.length; i++) {
    if (!issuedBy(certs[i]!, certs[i + 1]!)) {
      chainValid = false;
      problems.push(
        `Chain certificate ${i + 1} is not issued by certificate ${i + 2}: order must be vendor, WWDR, root.`,
      );
    }
  }
  const last = certs[certs.length - 1]!;
  if (certs.length >= 2 && !isSelfSignedRoot(last)) {
    chainValid = false;
    problems.push('The chain does not end with a self-signed root (the Apple Inc. Root CA).');
  }
  chainPem.forEach((pem, i) => {
    const body = pem.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('-----'));
    if (body.slice(0, -1).some((l) => l.length !== 64) || (body.at(-1)?.length ?? 0) > 64) {
      problems.push(`Chain certificate ${i + 1} does not use 64-character PEM lines.`);
    }
  });

  const chain = certs.map((c) => inspectCertificate(c.raw));
  return {
    valid: problems.length === 0,
    csrPem: csr.pem,
    csrDer: csr.der,
    csrSubject: formatName(csr.subject),
    csrSignatureValid: csr.signatureValid,
    chainPem,
    chain,
    vendorCertificate: chain[0]!,
    signature,
    signatureValid,
    signatureHash,
    chainValid,
    problems,
    plistXml,
  };
}

function decodeToXml(text: string): string {
  const bytes = decodeBase64Strict(text, WHAT);
  const xml = asText(bytes).replace(/^\uFEFF/, '');
  if (xml.startsWith('bplist')) return xml;
  if (!/^\s*<(\?xml|!DOCTYPE|plist)/.test(xml)) {
    throw new MalformedInputError(WHAT, 'the Base64 does not decode to an XML plist', {
      hint: 'Pass the signed request from the vendor (Base64 of a plist), not the bare CSR.',
    });
  }
  return xml;
}

function safeVerify(hash: string, data: Uint8Array, cert: X509Certificate, sig: Uint8Array): boolean {
  try {
    return verify(hash, data, cert.publicKey, sig);
  } catch {
    return false;
  }
}

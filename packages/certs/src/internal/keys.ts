/**
 * Private- and public-key helpers shared by the key-pair, CSR, push-request and PKCS#12 modules.
 * Not part of the public API.
 *
 * Keys arrive as PKCS#1 (`RSA PRIVATE KEY`, what nanodep and micromdm write), PKCS#8
 * (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`), encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`) or legacy
 * OpenSSL-encrypted PEM (`Proc-Type: 4,ENCRYPTED` + `DEK-Info`), as text or DER bytes
 * (certs.md §1.2 and §6.5). `node:crypto` parses all of them natively; this module adds typed
 * errors that never echo the key, and the bridges to node-forge, which builds our ASN.1.
 *
 * RSA signing always goes through native `crypto.sign`: forge's RSA is pure JavaScript, slower
 * and not constant-time (certs.md §1.3, §5).
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import forge from 'node-forge';
import { MalformedInputError, UnsupportedAlgorithmError, WrongPasswordError } from '../errors.js';
import { asBuffer, asText, looksLikeDer, pemBlocks } from './pem.js';

const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'] as const;

/** Options of {@link loadPrivateKey}. */
export interface LoadPrivateKeyOptions {
  /** Passphrase of an encrypted key; ignored for a plain one. */
  passphrase?: string | undefined;
  /** Names the input in error messages, e.g. `"vendor private key"`. */
  what?: string;
  /**
   * The option that takes the passphrase, named in the error for an encrypted key without one
   * (issue #16: say which option), e.g. `"options.vendorPrivateKeyPassphrase"`.
   * @default 'options.passphrase'
   */
  passphraseOption?: string;
}

/**
 * Reads a private key (PEM text in any of the labels above, or DER bytes of PKCS#8 / PKCS#1) into a
 * native `KeyObject`. A PEM bundle holding a certificate and a key (nanomdm's `cat push.pem
 * push.key`) is fine: the first key block is used.
 *
 * @throws {MalformedInputError} No key block, or the key does not parse.
 * @throws {WrongPasswordError} The key is encrypted and the passphrase is missing or wrong.
 */
export function loadPrivateKey(input: string | Uint8Array, options: LoadPrivateKeyOptions = {}): KeyObject {
  const what = options.what ?? 'private key';
  const passphraseOption = options.passphraseOption ?? 'options.passphrase';
  if (typeof input !== 'string' && looksLikeDer(input)) {
    return fromDer(asBuffer(input), what, options.passphrase, passphraseOption);
  }
  const text = asText(input);
  if (!text.includes('-----BEGIN ')) {
    throw new MalformedInputError(what, 'it is not PEM text (no "-----BEGIN" line) nor DER bytes', {
      hint: 'Pass the key file as downloaded, e.g. a file starting with "-----BEGIN PRIVATE KEY-----".',
    });
  }
  const blocks = pemBlocks(text, what);
  const block = blocks.find((b) => (KEY_LABELS as readonly string[]).includes(b.label));
  if (!block) {
    const found = blocks.map((b) => `"${b.label}"`).join(', ') || 'no complete PEM block';
    throw new MalformedInputError(what, `it holds no private key (found ${found})`, {
      hint: 'Pass the private key file, not the certificate or the CSR.',
    });
  }
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  if (encrypted && !options.passphrase) {
    throw encryptedWithoutPassphrase(what, passphraseOption);
  }
  // Re-serialise just this block so that a bundle with other blocks does not confuse OpenSSL.
  const pem = blockToPem(text, block.label);
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? options.passphrase : undefined });
  } catch (cause) {
    if (encrypted) {
      // A wrong passphrase normally fails the CBC padding check ("bad decrypt"); in 1 of ~256 cases the
      // padding looks valid and the garbage fails the ASN.1 parse instead. Both mean the same thing.
      throw new WrongPasswordError(`The passphrase does not open the ${what}`, {
        cause: safeCause(cause),
        hint: `Check ${passphraseOption} (it is case-sensitive).`,
      });
    }
    throw new MalformedInputError(what, `the "${block.label}" block does not parse as a private key`, {
      cause: safeCause(cause),
      hint: 'The file may be truncated or edited; export the key again.',
    });
  }
}

function encryptedWithoutPassphrase(what: string, passphraseOption: string): WrongPasswordError {
  return new WrongPasswordError(`The ${what} is encrypted and no passphrase was given`, {
    hint: `Pass its passphrase as ${passphraseOption}, or export it unencrypted (openssl pkey -in key.pem -out plain.pem).`,
  });
}

/** OpenSSL's error when an encrypted key is read without a passphrase callback. */
function needsPassphrase(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED';
}

function fromDer(der: Buffer, what: string, passphrase: string | undefined, passphraseOption: string): KeyObject {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type, passphrase: type === 'pkcs8' ? passphrase : undefined });
    } catch (cause) {
      // An encrypted PKCS#8 DER key: say so instead of OpenSSL's "interrupted or cancelled".
      if (type === 'pkcs8' && needsPassphrase(cause)) throw encryptedWithoutPassphrase(what, passphraseOption);
      if (type === 'pkcs8' && passphrase && /bad decrypt/i.test(String((cause as Error)?.message))) {
        throw new WrongPasswordError(`The passphrase does not open the ${what}`, {
          cause: safeCause(cause),
          hint: `Check ${passphraseOption} (it is case-sensitive).`,
        });
      }
      // Otherwise try the next encoding; DER does not say which one it is.
    }
  }
  throw new MalformedInputError(what, 'the DER bytes are neither a PKCS#8, PKCS#1 nor SEC1 private key', {
    hint: 'An encrypted DER key is not supported; convert it to PEM (openssl pkcs8 -inform DER …).',
  });
}

/** The text of one PEM block with that label, headers included. */
function blockToPem(text: string, label: string): string {
  const start = text.indexOf(`-----BEGIN ${label}-----`);
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, start);
  return `${text.slice(start, end + endMarker.length)}\n`;
}

/** OpenSSL errors hold no key bytes, but keep only code and message to be sure. */
export function safeCause(cause: unknown): Error | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  return new Error(typeof code === 'string' ? `${code}: ${cause.message}` : cause.message);
}

/** The key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the SDK's one output form. */
export function toPkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The public key's SubjectPublicKeyInfo DER; equal bytes mean the same key pair. */
export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** True when both keys (private or public) belong to the same key pair. */
export function sameKeyPair(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}

/**
 * Requires an RSA key of at least `minBits` bits; Apple's push and ASM flows use RSA-2048
 * (certs.md §1.2, §2.1).
 *
 * @throws {UnsupportedAlgorithmError}
 */
export function requireRsa(key: KeyObject, what: string, minBits = 2048): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UnsupportedAlgorithmError(
      key.asymmetricKeyType ?? 'unknown',
      `The ${what} is ${key.asymmetricKeyType?.toUpperCase() ?? 'of an unknown type'}, but this flow needs an RSA key`,
      { hint: 'Apple push-certificate requests and ASM server tokens use RSA-2048 keys.' },
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < minBits) {
    throw new UnsupportedAlgorithmError(
      `rsa-${bits}`,
      `The ${what} is RSA-${bits}; at least RSA-${minBits} is needed`,
      {
        hint: 'Generate a new 2048-bit key.',
      },
    );
  }
}

/** The RSA public key as a node-forge object (forge builds the certificate and CSR ASN.1). */
export function toForgePublicKey(key: KeyObject): forge.pki.rsa.PublicKey {
  const der = spkiDer(key);
  return forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(der.toString('binary'))) as forge.pki.rsa.PublicKey;
}

/** SHA256withRSA (RSASSA-PKCS1-v1_5) signature made natively. */
export function signSha256(key: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, key);
}

/**
 * forge functions that exist at runtime (node-forge 1.x `lib/x509.js`) but are missing from
 * `@types/node-forge`: the to-be-signed parts we sign natively.
 */
export const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
};

/** `forge.asn1.fromDer` with its options object (also missing from the typings). */
export function forgeFromDer(
  bytes: Uint8Array,
  options: { strict?: boolean; decodeBitStrings?: boolean },
): forge.asn1.Asn1 {
  const fromDer = forge.asn1.fromDer as unknown as (input: string, opts: typeof options) => forge.asn1.Asn1;
  return fromDer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary'), options);
}

/** DER bytes of a forge ASN.1 object. */
export function forgeDer(obj: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(obj).getBytes(), 'binary');
}

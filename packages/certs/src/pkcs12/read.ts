/**
 * Reading PKCS#12 (`.p12` / `.pfx`) files: push certificates moved between MDMs, Keychain exports,
 * and vendor certificates (micromdm `mdmctl mdmcert upload` takes one; certs.md §2.2, §4).
 *
 * node-forge does the PKCS#12 work: `node:crypto` has no PKCS#12 parser, and forge reads both the
 * legacy `pbeWithSHAAnd3-KeyTripleDES-CBC` / `pbeWithSHAAnd40BitRC2-CBC` files (macOS Keychain,
 * `openssl pkcs12 -export -legacy`) and OpenSSL 3's default PBES2 + PBKDF2-HMAC-SHA256 +
 * AES-256-CBC with an HMAC-SHA256 MAC (certs.md §4, verified again in our tests), whereas OpenSSL 3
 * itself needs its legacy provider for RC2.
 */
import { createPrivateKey, type KeyObject, pbkdf2Sync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { MalformedInputError, UnsupportedAlgorithmError, WrongPasswordError } from '../errors.js';
import { checkArgument, checkOptions, type OptionRule, TEXT_RULE } from '../internal/args.js';
import { guardInput, publicKeyOf, sanitizeCause } from '../internal/guard.js';
import { forgeDer, forgeFromDer, sameKeyPair, toPkcs8Pem } from '../internal/keys.js';
import { decodeBase64Strict, toPem } from '../internal/pem.js';
import { type Redacted, withSecrets } from '../internal/secret.js';
import { issuedBy } from '../push/chain.js';

/** What {@link readPkcs12} returns. */
export interface Pkcs12Contents extends Redacted {
  /** The certificate that belongs to the private key, as PEM. */
  readonly certificatePem: string;
  /** The other certificates, as PEM: the leaf's issuer first, then its issuer, …, then any unrelated ones. */
  readonly chainPem: string[];
  /**
   * The private key as unencrypted PKCS#8 PEM. Readable, but hidden from `JSON.stringify`,
   * spreading, `toString` and `util.inspect`.
   */
  readonly privateKeyPem: string;
  /** The key's or certificate's `friendlyName` bag attribute (the name Keychain Access shows). */
  readonly friendlyName: string | undefined;
}

const WHAT = 'PKCS#12 file';

/**
 * Default cap on the iteration count of every key derivation a PKCS#12 file asks for (its MAC
 * key, and the PBES1/PBES2 key of each encrypted bag).
 *
 * Why: the count is read from the file, so without a cap the file decides how long `readPkcs12`
 * computes: 8,388,607 iterations ran 10.9 s with any password (issue #15, item 14), and a larger
 * count runs for hours. Real files stay far below: OpenSSL writes 2,048 (`PKCS12_DEFAULT_ITER`),
 * macOS Keychain and Windows 2,000, Java's keytool 10,000 (JDK 12+). 50,000 is five times the
 * highest of those. PBKDF2 (PBES2, what OpenSSL 3 writes) runs natively, but the PKCS#12 KDF of
 * the MAC and of legacy PBES1 bags only exists in node-forge's JavaScript, where 50,000
 * iterations cost about 0.2–1 s; the fuzzer found a 1.5 KB file that ran 1.5 s at 78,000.
 */
export const PKCS12_DEFAULT_MAX_ITERATIONS = 50_000;
/** The highest cap `maxIterations` may raise it to (about 20 s per derivation). */
const PKCS12_MAX_ITERATIONS_LIMIT = 16_777_216;

/** Options of {@link readPkcs12}. */
export interface ReadPkcs12Options {
  /**
   * Refuse (with `UnsupportedAlgorithmError`) a file whose MAC or encryption asks for more
   * key-derivation iterations than this, before computing them. Raise it only for a file you
   * trust that was written with a high count.
   * @default 50_000 ({@link PKCS12_DEFAULT_MAX_ITERATIONS})
   */
  maxIterations?: number;
}

const MAX_ITERATIONS_RULE: OptionRule = {
  expected: `a whole number from 1 to ${PKCS12_MAX_ITERATIONS_LIMIT}`,
  test: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= PKCS12_MAX_ITERATIONS_LIMIT,
};

/** Thrown inside forge's key derivation when a file asks for more iterations than allowed. */
class IterationLimit extends Error {
  constructor(
    readonly iterations: number,
    readonly limit: number,
  ) {
    super('iteration limit');
  }
}

type GenerateKey = (
  password: unknown,
  salt: unknown,
  id: number,
  iter: number,
  n: number,
  md?: unknown,
) => forge.util.ByteStringBuffer;
type Pbkdf2 = (p: unknown, s: unknown, c: number, dkLen: number, md?: unknown, cb?: unknown) => unknown;

/** The node:crypto name of a forge message digest (object or name), for the ones PBES2 uses. */
function nativeDigest(md: unknown): string | undefined {
  const name = typeof md === 'string' ? md : (md as { algorithm?: unknown } | undefined)?.algorithm;
  if (md === undefined) return 'sha1'; // forge's default
  return typeof name === 'string' && ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(name) ? name : undefined;
}

/**
 * Runs `fn` with forge's two key-derivation functions (PKCS#12 KDF for the MAC and PBES1, PBKDF2
 * for PBES2) wrapped so that a count above `limit` throws before any work. forge reads the
 * counts deep inside `pkcs12FromAsn1`, including from bags that are only visible after the outer
 * layer is decrypted, so a pre-scan of the ASN.1 could not see them all. The wrap is installed
 * and removed around one synchronous call, so no other caller of forge ever sees it.
 */
function withIterationLimit<T>(limit: number, fn: () => T): T {
  const p12 = forge.pkcs12 as unknown as { generateKey: GenerateKey };
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: Pbkdf2 };
  const generateKey = p12.generateKey;
  const pbkdf2 = pkcs5.pbkdf2;
  const check = (iterations: number) => {
    if (!(iterations >= 1 && iterations <= limit)) throw new IterationLimit(iterations, limit);
  };
  p12.generateKey = (password, salt, id, iter, n, md) => {
    check(iter);
    return generateKey.call(p12, password, salt, id, iter, n, md);
  };
  pkcs5.pbkdf2 = (p, s, c, dkLen, md, cb) => {
    check(c);
    // forge's PBKDF2 is pure JavaScript (about 50,000 SHA-256 iterations a second on a busy
    // machine); OpenSSL's gives the same bytes far faster. Only binary-string inputs (what forge
    // passes for PBES2) and known digests take the native path.
    const digest = nativeDigest(md);
    if (cb === undefined && digest && typeof p === 'string' && typeof s === 'string' && !/[^\x00-\xff]/.test(p)) {
      return pbkdf2Sync(Buffer.from(p, 'latin1'), Buffer.from(s, 'latin1'), c, dkLen, digest).toString('latin1');
    }
    return pbkdf2.call(pkcs5, p, s, c, dkLen, md, cb);
  };
  try {
    return fn();
  } finally {
    p12.generateKey = generateKey;
    pkcs5.pbkdf2 = pbkdf2;
  }
}

/**
 * Opens a PKCS#12 file with its password and returns the certificate, the rest of the chain and the
 * private key.
 *
 * An empty password is tried both as the empty string and as "no password" (the two encodings
 * different tools use, RFC 7292 Appendix B.1).
 *
 * @param bytes The file bytes (or its Base64 text).
 * @param password The export password; `''` for none.
 * @example
 * ```ts
 * const { certificatePem, privateKeyPem } = readPkcs12(await readFile('push.p12'), process.env.P12_PASSWORD ?? '');
 * ```
 * @throws {WrongPasswordError} The password does not open the file.
 * @throws {MalformedInputError} Not a PKCS#12 file, or it holds no private key / no matching certificate.
 * @throws {UnsupportedAlgorithmError} The file uses an encryption or MAC algorithm forge cannot read.
 */
export function readPkcs12(bytes: Uint8Array | string, password: string, options?: ReadPkcs12Options): Pkcs12Contents {
  checkArgument(
    'bytes',
    bytes,
    {
      expected: 'the file bytes (or their Base64 text)',
      test: (v) => typeof v === 'string' || v instanceof Uint8Array,
      required: true,
    },
    'Pass the Buffer from readFile().',
  );
  checkArgument('password', password, { ...TEXT_RULE, required: true }, "Pass '' for a file without one.");
  const { maxIterations = PKCS12_DEFAULT_MAX_ITERATIONS } = checkOptions('options', options, {
    maxIterations: MAX_ITERATIONS_RULE,
  }) as ReadPkcs12Options;
  return guardInput(WHAT, () => read(bytes, password, maxIterations));
}

function read(bytes: Uint8Array | string, password: string, maxIterations: number): Pkcs12Contents {
  const der = typeof bytes === 'string' ? decodeBase64Strict(bytes, WHAT) : bytes;
  let pfxAsn1: forge.asn1.Asn1;
  try {
    pfxAsn1 = forgeFromDer(der, { strict: false, decodeBitStrings: false });
  } catch (cause) {
    throw notPkcs12(cause);
  }
  const hasMac = Array.isArray(pfxAsn1.value) && pfxAsn1.value.length >= 3;
  const p12 = withIterationLimit(maxIterations, () => open(pfxAsn1, password, hasMac));

  const keys: KeyObject[] = [];
  let friendlyName: string | undefined;
  for (const type of [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!]) {
    for (const bag of p12.getBags({ bagType: type })[type] ?? []) {
      keys.push(keyFromBag(bag));
      friendlyName ??= bag.attributes.friendlyName?.[0];
    }
  }
  const certs: X509Certificate[] = [];
  const certBagType = forge.pki.oids.certBag!;
  for (const bag of p12.getBags({ bagType: certBagType })[certBagType] ?? []) {
    certs.push(certFromBag(bag));
  }
  const [key] = keys;
  if (!key) {
    throw new MalformedInputError(WHAT, `it holds no private key (${certs.length} certificate(s) only)`, {
      hint: 'Export the identity (certificate and key) again, e.g. "Export 2 items" in Keychain Access.',
    });
  }
  const leaf = certs.find((c) => sameKeyPair(key, publicKeyOf(c, WHAT)));
  if (!leaf) {
    throw new MalformedInputError(WHAT, 'none of its certificates belongs to its private key', {
      hint: 'Export the certificate together with its own private key.',
    });
  }
  if (friendlyName === undefined) {
    for (const bag of p12.getBags({ bagType: certBagType })[certBagType] ?? []) {
      friendlyName ??= bag.attributes.friendlyName?.[0];
    }
  }
  return withSecrets(
    'Pkcs12Contents',
    {
      certificatePem: toPem('CERTIFICATE', leaf.raw),
      chainPem: orderChain(leaf, certs).map((c) => toPem('CERTIFICATE', c.raw)),
      friendlyName,
    },
    { privateKeyPem: toPkcs8Pem(key) },
  );
}

function open(pfxAsn1: forge.asn1.Asn1, password: string, hasMac: boolean): forge.pkcs12.Pkcs12Pfx {
  // RFC 7292 B.1: the empty password is "two zero bytes" to some tools and "no bytes" to others;
  // forge encodes '' as the former and null as the latter.
  const candidates: Array<string | null> = password === '' ? ['', null] : [password];
  let last: unknown;
  for (const candidate of candidates) {
    try {
      return forge.pkcs12.pkcs12FromAsn1(pfxAsn1, false, candidate as string);
    } catch (e) {
      if (e instanceof IterationLimit) throw tooManyIterations(e);
      last = e;
      if (!isPasswordFailure(e, hasMac)) break;
    }
  }
  throw classify(last, hasMac);
}

function tooManyIterations(e: IterationLimit): UnsupportedAlgorithmError {
  return new UnsupportedAlgorithmError(
    `iterations=${e.iterations}`,
    `The ${WHAT} asks for ${e.iterations} key-derivation iterations, more than the limit of ${e.limit}; it was not opened`,
    {
      hint: `Files from OpenSSL, Keychain, Windows and Java use 2,000–10,000. If you trust this file, pass { maxIterations: ${Math.min(e.iterations, PKCS12_MAX_ITERATIONS_LIMIT)} }.`,
    },
  );
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isPasswordFailure(e: unknown, hasMac: boolean): boolean {
  const m = messageOf(e);
  if (/MAC could not be verified|wrong password/i.test(m)) return true;
  // Without a MAC, a wrong password only shows as garbage after decryption.
  return !hasMac && !/Unsupported|not an PKCS#12 PFX|version other than 3|password integrity/i.test(m);
}

function classify(e: unknown, hasMac: boolean): Error {
  const m = messageOf(e);
  const oid = (e as { oid?: unknown } | undefined)?.oid;
  if (/unsupported MAC algorithm: (\S+)/.test(m) || /Unsupported (OID|PRF)|unsupported encryption/i.test(m)) {
    const alg = /unsupported MAC algorithm: (\S+)/.exec(m)?.[1] ?? (typeof oid === 'string' ? oid : 'unknown');
    return new UnsupportedAlgorithmError(
      alg,
      `The ${WHAT} uses an encryption or MAC algorithm that cannot be read (${alg})`,
      {
        hint: 'Re-export it with AES-256 (openssl pkcs12 -export) or 3DES (-legacy).',
      },
    );
  }
  if (isPasswordFailure(e, hasMac)) {
    return new WrongPasswordError(
      hasMac
        ? `The password does not open the ${WHAT} (its integrity check failed)`
        : `The password does not open the ${WHAT}, or it is corrupt`,
      { hint: "Check the export password (case-sensitive); use '' for a file exported without one." },
    );
  }
  return notPkcs12(e);
}

function notPkcs12(cause: unknown): MalformedInputError {
  return new MalformedInputError(WHAT, `it is not a readable PKCS#12 file (${messageOf(cause)})`, {
    cause: sanitizeCause(cause),
    hint: 'Pass the .p12/.pfx bytes as read from disk, not a PEM or a certificate.',
  });
}

function keyFromBag(bag: forge.pkcs12.Bag): KeyObject {
  // forge decodes RSA keys; for other types (EC) it keeps the PrivateKeyInfo ASN.1 in `asn1`.
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
  try {
    if (!info) throw new Error('empty key bag');
    return createPrivateKey({ key: forgeDer(info), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new MalformedInputError(WHAT, 'its private key does not parse', {
      cause: sanitizeCause(cause),
      hint: 'The file may be corrupt; export it again.',
    });
  }
}

function certFromBag(bag: forge.pkcs12.Bag): X509Certificate {
  const asn = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
  try {
    if (!asn) throw new Error('empty certificate bag');
    return new X509Certificate(forgeDer(asn));
  } catch (cause) {
    throw new MalformedInputError(WHAT, 'one of its certificates does not parse', {
      cause: sanitizeCause(cause),
      hint: 'The file may be corrupt; export it again.',
    });
  }
}

/** The certificates other than `leaf`, issuer chain first, then any unrelated ones in file order. */
function orderChain(leaf: X509Certificate, certs: readonly X509Certificate[]): X509Certificate[] {
  const rest = certs.filter((c) => c.fingerprint256 !== leaf.fingerprint256);
  const ordered: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    const parent = rest.find((c) => !ordered.includes(c) && c !== current && issuedBy(current, c));
    if (!parent || parent.fingerprint256 === current.fingerprint256) break;
    ordered.push(parent);
    current = parent;
  }
  return [...ordered, ...rest.filter((c) => !ordered.includes(c))];
}

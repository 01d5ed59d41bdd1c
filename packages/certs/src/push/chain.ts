/**
 * Building the `PushCertCertificateChain` of a push-certificate request: the vendor (MDM CSR)
 * certificate, then the Apple WWDR intermediate that issued it, then the Apple Inc. root
 * (certs.md §2.1 step 3). The intermediate is chosen by signature from what the caller supplies,
 * rather than hard-coding WWDR G3, since Apple has re-issued WWDR (G2–G6) and the original
 * `AppleWWDRCA.cer` has expired.
 */
import { X509Certificate } from 'node:crypto';
import { parseCertificateDer } from '../certificate/parse.js';
import { ExpiredError, MalformedInputError } from '../errors.js';
import { pemBlocks } from '../internal/pem.js';

/** Every certificate in a PEM text (or texts), in order. */
export function certificatesFromPem(pem: string | readonly string[], what: string): X509Certificate[] {
  const texts = typeof pem === 'string' ? [pem] : pem;
  const out: X509Certificate[] = [];
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw new MalformedInputError(what, `item ${i} is not PEM text`, { hint: 'Pass PEM strings.' });
    }
    for (const block of pemBlocks(text, what)) {
      if (block.label !== 'CERTIFICATE') continue;
      try {
        out.push(new X509Certificate(block.der));
      } catch (cause) {
        throw new MalformedInputError(what, `certificate ${out.length + 1} does not parse`, {
          cause: cause instanceof Error ? new Error(cause.message) : undefined,
          hint: 'Download the certificate again.',
        });
      }
    }
  });
  return out;
}

/** True when `cert` is signed by its own key and names itself as issuer (a root). */
export function isSelfSignedRoot(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && safeVerify(cert, cert);
}

/** True when `child` names `parent` as issuer and `parent`'s key verifies `child`'s signature. */
export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.issuer === parent.subject && safeVerify(child, parent);
}

function safeVerify(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * Orders `leaf` and the certificates it chains to, picked from `candidates`, up to a self-signed
 * root. Candidates that are not on the path (another WWDR generation, duplicates of the leaf) are
 * left out.
 *
 * @throws {MalformedInputError} No candidate issued some certificate on the path before a root.
 * @throws {ExpiredError} A certificate on the path has expired at `now`.
 */
export function buildChain(
  leaf: X509Certificate,
  candidates: readonly X509Certificate[],
  now: Date,
): X509Certificate[] {
  const chain = [leaf];
  let current = leaf;
  while (!isSelfSignedRoot(current)) {
    const parent = candidates.find(
      (c) => !chain.some((x) => x.fingerprint256 === c.fingerprint256) && issuedBy(current, c),
    );
    if (!parent) {
      const position = chain.length === 1 ? 'the vendor certificate' : `certificate ${chain.length} of the chain`;
      throw new MalformedInputError(
        'certificate chain',
        `no certificate in chainPem issued ${position} (its issuer is "${oneLine(current.issuer)}")`,
        {
          hint:
            chain.length === 1
              ? 'Add the Apple WWDR intermediate named as issuer and the Apple Inc. Root, from https://www.apple.com/certificateauthority/.'
              : 'Add the Apple Inc. Root certificate from https://www.apple.com/certificateauthority/.',
        },
      );
    }
    chain.push(parent);
    current = parent;
  }
  for (const cert of chain) {
    const notAfter = parseCertificateDer(cert.raw)?.notAfter;
    if (notAfter && notAfter.getTime() < now.getTime()) {
      throw new ExpiredError(`Certificate "${oneLine(cert.subject)}" of the push request chain`, notAfter, {
        hint:
          cert === leaf
            ? 'Renew the MDM CSR (vendor) certificate in the Apple Developer portal.'
            : 'Download the current certificate from https://www.apple.com/certificateauthority/.',
      });
    }
  }
  return chain;
}

/** Node prints names one attribute per line; show them on one line in messages. */
export function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

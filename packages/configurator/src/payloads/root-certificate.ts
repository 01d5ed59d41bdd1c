/**
 * `rootCertificate()`: a `com.apple.security.root` payload, a CA certificate the device trusts
 * (e.g. the CA of the school's RADIUS server or web filter).
 *
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { PayloadOptionError } from '../errors.js';
import type { PayloadDefinition } from '../profile/types.js';
import {
  describe,
  finish,
  metadataFrom,
  optionsObject,
  PAYLOAD_OPTIONS,
  type PayloadOptions,
  stringOption,
} from './common.js';

const BUILDER = 'rootCertificate';

/** Options of {@link rootCertificate}. */
export interface RootCertificateOptions extends PayloadOptions {
  /** The certificate: PEM text, or DER / PEM bytes. Stored as DER (`PayloadContent`). */
  certificate: string | Uint8Array;
  /**
   * `PayloadCertificateFileName`, e.g. `school-ca.cer`.
   * @default the subject's common name + `.cer`
   */
  name?: string;
}

/**
 * A trusted root certificate payload (`com.apple.security.root`).
 *
 * The certificate is parsed with `node:crypto` (so a typo'd PEM fails here, not on the
 * device) and stored as DER. `PayloadDisplayName` defaults to its subject's common name.
 *
 * @throws {PayloadOptionError} when `certificate` is not an X.509 certificate.
 * @example
 * const ca = rootCertificate({ certificate: await readFile('radius-ca.pem', 'utf8') });
 */
export function rootCertificate(options: RootCertificateOptions): PayloadDefinition<'com.apple.security.root'> {
  const o = optionsObject(BUILDER, options, [...PAYLOAD_OPTIONS, ...['certificate', 'name']]);
  const cert = parseCertificate(BUILDER, 'certificate', o.certificate);
  const cn = commonName(cert);
  const name = o.name === undefined ? `${cn ?? 'certificate'}.cer` : stringOption(BUILDER, 'name', o.name);
  const metadata = metadataFrom(BUILDER, o);
  return finish(
    BUILDER,
    'com.apple.security.root',
    { PayloadContent: new Uint8Array(cert.raw), PayloadCertificateFileName: name },
    { ...metadata, PayloadDisplayName: metadata.PayloadDisplayName ?? cn },
  );
}

/** Parses PEM text or DER/PEM bytes as one X.509 certificate. */
export function parseCertificate(builder: string, option: string, input: unknown): X509Certificate {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new PayloadOptionError(builder, option, `must be PEM text or DER bytes, got ${describe(input)}`);
  }
  try {
    return new X509Certificate(typeof input === 'string' ? input.trim() : input);
  } catch (cause) {
    throw new PayloadOptionError(builder, option, 'is not a readable X.509 certificate', {
      cause,
      hint: 'pass one PEM block (-----BEGIN CERTIFICATE-----) or the DER bytes of the certificate',
    });
  }
}

/** The subject's CN, when there is one. */
export function commonName(cert: X509Certificate): string | undefined {
  const m = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject);
  return m?.[1]?.trim() || undefined;
}

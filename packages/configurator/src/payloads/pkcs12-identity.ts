/**
 * `pkcs12Identity()`: a `com.apple.security.pkcs12` payload, a certificate with its private key
 * (e.g. a client identity for EAP-TLS Wi-Fi).
 *
 * Apple's warning applies: "The system obfuscates the profile but doesn't encrypt it, so it's
 * possible to intercept the profile and extract the password and identity"
 * (https://developer.apple.com/documentation/devicemanagement/certificatepkcs12). Prefer SCEP
 * or ACME where the network allows.
 *
 * @module
 */
import type forge from 'node-forge';
import { PayloadOptionError } from '../errors.js';
import { nodeForge } from '../internal/lazy-deps.js';
import type { PayloadDefinition } from '../profile/types.js';
import {
  booleanOption,
  bytesOption,
  finish,
  metadataFrom,
  optionsObject,
  PAYLOAD_OPTIONS,
  type PayloadOptions,
  stringOption,
} from './common.js';

const BUILDER = 'pkcs12Identity';

/** Options of {@link pkcs12Identity}. */
export interface Pkcs12IdentityOptions extends PayloadOptions {
  /** The PKCS#12 (`.p12`/`.pfx`) file's bytes (`PayloadContent`). */
  data: Uint8Array;
  /** `Password` that opens it. Never shown in errors, `toJSON` or `inspect`. */
  password?: string;
  /** `PayloadCertificateFileName`, e.g. `ipad-identity.p12`. */
  name?: string;
  /** `AllowAllAppsAccess`: every app may use the key. @default false */
  allowAllAppsAccess?: boolean;
  /** `KeyIsExtractable`: the key may be exported from the device. @default true */
  keyIsExtractable?: boolean;
  /**
   * Open the file with `password` now (node-forge), so a wrong password or a file without a
   * private key fails here instead of on the device. Turn off for PKCS#12 variants
   * node-forge cannot read.
   * @default true
   */
  verify?: boolean;
}

/**
 * A PKCS#12 identity payload (`com.apple.security.pkcs12`).
 *
 * @throws {PayloadOptionError} when `data` is not a PKCS#12, the password does not open it,
 *   or it holds no private key or no certificate.
 * @example
 * const identity = pkcs12Identity({ data: await readFile('ipad.p12'), password: process.env.P12_PASSWORD });
 * wifi({ ssid: 'Schule-802.1X', security: 'WPA2', eap: { acceptEapTypes: ['TLS'] }, identityCertificate: identity });
 */
export function pkcs12Identity(options: Pkcs12IdentityOptions): PayloadDefinition<'com.apple.security.pkcs12'> {
  const o = optionsObject(BUILDER, options, [
    ...PAYLOAD_OPTIONS,
    ...['data', 'password', 'name', 'allowAllAppsAccess', 'keyIsExtractable', 'verify'],
  ]);
  const data = bytesOption(BUILDER, 'data', o.data);
  const password = o.password === undefined ? undefined : stringOption(BUILDER, 'password', o.password, false);
  if ((booleanOption(BUILDER, 'verify', o.verify) ?? true) === true) verifyPkcs12(data, password);
  return finish(
    BUILDER,
    'com.apple.security.pkcs12',
    {
      PayloadContent: new Uint8Array(data),
      Password: password,
      PayloadCertificateFileName: o.name === undefined ? undefined : stringOption(BUILDER, 'name', o.name),
      AllowAllAppsAccess: booleanOption(BUILDER, 'allowAllAppsAccess', o.allowAllAppsAccess),
      KeyIsExtractable: booleanOption(BUILDER, 'keyIsExtractable', o.keyIsExtractable),
    },
    metadataFrom(BUILDER, o),
  );
}

function verifyPkcs12(data: Uint8Array, password: string | undefined): void {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = nodeForge().asn1.fromDer(nodeForge().util.createBuffer(Buffer.from(data).toString('binary')));
  } catch (cause) {
    throw new PayloadOptionError(BUILDER, 'data', 'is not a PKCS#12 file (not DER)', {
      cause,
      hint: 'pass the bytes of the .p12 file, not a PEM or base64 text',
    });
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = nodeForge().pkcs12.pkcs12FromAsn1(asn1, true, password ?? '');
  } catch (e) {
    const text = e instanceof Error ? e.message : '';
    if (/MAC could not be verified|Invalid password/i.test(text)) {
      throw new PayloadOptionError(
        BUILDER,
        'password',
        password === undefined ? 'is needed to open the PKCS#12' : 'does not open the PKCS#12',
        {
          hint: 'pass the password the file was exported with',
        },
      );
    }
    // Not the password's fault: forge's message names the structure, never the secret.
    throw new PayloadOptionError(BUILDER, 'data', `could not be read as PKCS#12 (${text || 'unknown structure'})`, {
      hint: 'check the file, or pass verify: false if another tool reads it fine',
    });
  }
  const count = (bagType: string | undefined): number =>
    bagType === undefined ? 0 : (p12.getBags({ bagType })[bagType]?.length ?? 0);
  const { oids } = nodeForge().pki;
  const keys = count(oids.pkcs8ShroudedKeyBag) + count(oids.keyBag);
  const certs = count(oids.certBag);
  if (keys === 0) {
    throw new PayloadOptionError(BUILDER, 'data', 'holds no private key', {
      hint: 'export the identity (certificate and key), not only the certificate; a certificate alone goes in rootCertificate()',
    });
  }
  if (certs === 0) throw new PayloadOptionError(BUILDER, 'data', 'holds no certificate');
}

/**
 * `@schoolmdm/certs`: MDM key pair, ASM server token, content token, push-certificate CSR,
 * certificate inspection and expiry reports.
 *
 * @packageDocumentation
 */
export {
  BadPaddingError,
  CertsError,
  ExpiredError,
  MalformedInputError,
  NotEnvelopedDataError,
  RecipientMismatchError,
  UnsupportedAlgorithmError,
  WrongKeyError,
  WrongPasswordError,
} from './errors.js';

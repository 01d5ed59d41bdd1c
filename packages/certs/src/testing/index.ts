/**
 * `@schoolmdm/certs/testing`: fixture makers for test suites. Test-only: nothing here protects
 * real secrets, and the main entry never imports it.
 *
 * @packageDocumentation
 */
export { type CreateContentTokenFileOptions, createContentTokenFile } from './content-token.js';
export { type CreateTestRecipientOptions, createTestRecipient, type TestRecipient } from './recipient.js';
export {
  type EncryptEnvelopedDataOptions,
  type EncryptServerTokenOptions,
  encryptEnvelopedData,
  encryptServerToken,
  formatServerTokenMessage,
  type TestContentCipher,
  toPkcs7Pem,
  toSmime,
} from './server-token.js';

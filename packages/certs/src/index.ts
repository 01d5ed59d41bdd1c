/**
 * `@schoolmdm/certs`: MDM key pair, ASM server token, content token, push-certificate CSR,
 * certificate inspection and expiry reports.
 *
 * @packageDocumentation
 */

export {
  type CertificateInfo,
  type CertificateWarning,
  type CertificateWarningCode,
  type InspectCertificateOptions,
  inspectCertificate,
  MDM_TOPIC_PREFIX,
} from './certificate/inspect.js';
export type { NameAttribute } from './certificate/name.js';
export { ContentToken, type ParseContentTokenOptions, parseContentToken } from './content-token/content-token.js';
export {
  createPushCertificateCsr,
  type PushCertificateCsr,
  type PushCertificateCsrOptions,
} from './csr/create.js';
export type { CsrInput } from './csr/parse.js';
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
export {
  type CertificateExpiryItem,
  type ContentTokenExpiryItem,
  type ExpiryDetails,
  type ExpiryItem,
  type ExpiryItemKind,
  type ExpiryProblem,
  type ExpiryReport,
  type ExpiryReportOptions,
  type ExpiryRow,
  type ExpiryState,
  type ExpiryThresholds,
  expiryReport,
  type PushCertificateExpiryItem,
  type ServerTokenExpiryItem,
} from './expiry/report.js';
export { type GenerateMdmKeyPairOptions, generateMdmKeyPair, type MdmKeyPair } from './keypair/generate.js';
export {
  PKCS12_DEFAULT_MAX_ITERATIONS,
  type Pkcs12Contents,
  type ReadPkcs12Options,
  readPkcs12,
} from './pkcs12/read.js';
export { compareTopics, type TopicComparison } from './push/compare-topics.js';
export { type SignPushCertificateRequestOptions, signPushCertificateRequest } from './push/sign.js';
export { type PushCertificateRequestCheck, verifyPushCertificateRequest } from './push/verify.js';
export { type DecryptServerTokenOptions, decryptServerToken, type PrivateKeyInput } from './server-token/decrypt.js';
export {
  type AlgorithmInfo,
  type CertificateInput,
  inspectServerToken,
  type KeyTransportRecipientInfo,
  type OtherRecipientInfo,
  type ServerTokenEncoding,
  type ServerTokenInspection,
  type ServerTokenRecipient,
} from './server-token/inspect.js';
export { ServerToken, type ServerTokenFields } from './server-token/server-token.js';

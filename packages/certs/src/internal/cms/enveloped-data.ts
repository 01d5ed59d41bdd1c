/**
 * Parses a CMS `ContentInfo` holding `EnvelopedData` (RFC 5652 §6) or `AuthEnvelopedData`
 * (RFC 5083) into plain data, without any key. Not part of the public API.
 *
 * Both share the recipient list, so a token encrypted with AES-GCM can still be inspected
 * (and matched to a certificate) before the decryptor rejects it as unsupported.
 */
import { NotEnvelopedDataError } from '../../errors.js';
import {
  type BerNode,
  isContext,
  parseBer,
  readAlgorithm,
  readOctets,
  readOid,
  readSequence,
  readSet,
  readSmallInteger,
  serialToHex,
  structureError,
  toHex,
} from './ber.js';
import { formatName } from './name.js';
import { CONTENT_TYPE, oidLabel } from './oids.js';

/** An AlgorithmIdentifier. */
export interface Algorithm {
  oid: string;
  parameters: BerNode | undefined;
}

/** A `KeyTransRecipientInfo` (RFC 5652 §6.2.1): the only kind Apple uses. */
export interface KeyTransRecipient {
  kind: 'ktri';
  /** Position in `recipientInfos`. */
  index: number;
  /** RFC 4514 issuer, when identified by issuer and serial number. */
  issuer: string | undefined;
  /** DER of the issuer `Name`, for exact matching. */
  issuerDer: Uint8Array | undefined;
  /** Uppercase hex serial number, when identified by issuer and serial number. */
  serialNumber: string | undefined;
  /** Uppercase hex, when identified by `[0] SubjectKeyIdentifier` (version 2). */
  subjectKeyIdentifier: string | undefined;
  keyEncryptionAlgorithm: Algorithm;
  encryptedKey: Uint8Array;
}

/** A recipient kind this package lists but does not decrypt for. */
export interface OtherRecipient {
  kind: 'kari' | 'kekri' | 'pwri' | 'ori';
  index: number;
  /** The key-encryption algorithm OID (or `oriType`) when it could be read. */
  keyEncryptionAlgorithm: string | undefined;
}

/** A parsed EnvelopedData or AuthEnvelopedData. */
export interface Envelope {
  /** `CONTENT_TYPE.envelopedData` or `CONTENT_TYPE.authEnvelopedData`. */
  contentType: string;
  version: number;
  recipients: Array<KeyTransRecipient | OtherRecipient>;
  /** The content type of the encrypted content (`data` for server tokens). */
  encryptedContentType: string;
  contentEncryptionAlgorithm: Algorithm;
  /** The ciphertext; undefined when the content is detached (not carried in the file). */
  encryptedContent: Uint8Array | undefined;
}

const OTHER_KINDS = { 1: 'kari', 2: 'kekri', 3: 'pwri', 4: 'ori' } as const;

/**
 * Parses DER/BER of a `ContentInfo`. Throws `NotEnvelopedDataError` for any other CMS content
 * type (SignedData…) and `MalformedInputError` naming the element for anything malformed.
 */
export function parseEnvelope(der: Uint8Array, what: string): Envelope {
  const [typeNode, wrapped] = readSequence(parseBer(der, what), what, 'ContentInfo');
  const contentType = readOid(typeNode, what, 'ContentInfo.contentType');
  if (contentType !== CONTENT_TYPE.envelopedData && contentType !== CONTENT_TYPE.authEnvelopedData) {
    throw new NotEnvelopedDataError(oidLabel(contentType), {
      hint:
        contentType === CONTENT_TYPE.signedData
          ? 'This is a signed (not encrypted) CMS file; a server token is the *_smime.p7m file Apple School Manager downloads.'
          : 'Pass the *_smime.p7m server token file downloaded from Apple School Manager.',
    });
  }
  const name = contentType === CONTENT_TYPE.envelopedData ? 'EnvelopedData' : 'AuthEnvelopedData';
  if (!isContext(wrapped, 0) || !wrapped.constructed) throw structureError(what, 'ContentInfo.content', '[0]', wrapped);
  const fields = readSequence(wrapped.children[0], what, name);
  const version = readSmallInteger(fields[0], what, `${name}.version`);
  // originatorInfo [0] is optional; recipientInfos follows.
  let at = isContext(fields[1], 0) ? 2 : 1;
  const recipients = readSet(fields[at], what, `${name}.recipientInfos`).map((node, index) =>
    readRecipient(node, index, what, `${name}.recipientInfos[${index}]`),
  );
  at++;
  const eciPath = `${name}.${contentType === CONTENT_TYPE.envelopedData ? 'encryptedContentInfo' : 'authEncryptedContentInfo'}`;
  const eci = readSequence(fields[at], what, eciPath);
  const encryptedContentType = readOid(eci[0], what, `${eciPath}.contentType`);
  const contentEncryptionAlgorithm = readAlgorithm(eci[1], what, `${eciPath}.contentEncryptionAlgorithm`);
  const encryptedContent = eci[2] ? readOctets(eci[2], what, `${eciPath}.encryptedContent`, 0) : undefined;
  return { contentType, version, recipients, encryptedContentType, contentEncryptionAlgorithm, encryptedContent };
}

function readRecipient(node: BerNode, index: number, what: string, path: string): KeyTransRecipient | OtherRecipient {
  if (node.tagClass === 'context') {
    const kind = OTHER_KINDS[node.tag as keyof typeof OTHER_KINDS];
    if (!kind || !node.constructed) throw structureError(what, path, 'a RecipientInfo', node);
    return { kind, index, keyEncryptionAlgorithm: otherKeyAlgorithm(kind, node) };
  }
  const [versionNode, rid, kea, ek] = readSequence(node, what, path);
  readSmallInteger(versionNode, what, `${path}.version`);
  let issuer: string | undefined;
  let issuerDer: Uint8Array | undefined;
  let serialNumber: string | undefined;
  let subjectKeyIdentifier: string | undefined;
  if (isContext(rid, 0)) {
    subjectKeyIdentifier = toHex(readOctets(rid, what, `${path}.rid`, 0));
  } else {
    const [issuerNode, serialNode] = readSequence(rid, what, `${path}.rid`);
    if (!issuerNode) throw structureError(what, `${path}.rid.issuer`, 'a Name');
    issuer = formatName(issuerNode, what, `${path}.rid.issuer`);
    issuerDer = issuerNode.raw;
    if (serialNode?.tagClass !== 'universal' || serialNode.tag !== 2 || serialNode.content.length === 0) {
      throw structureError(what, `${path}.rid.serialNumber`, 'an INTEGER', serialNode);
    }
    serialNumber = serialToHex(serialNode.content);
  }
  return {
    kind: 'ktri',
    index,
    issuer,
    issuerDer,
    serialNumber,
    subjectKeyIdentifier,
    keyEncryptionAlgorithm: readAlgorithm(kea, what, `${path}.keyEncryptionAlgorithm`),
    encryptedKey: readOctets(ek, what, `${path}.encryptedKey`),
  };
}

/** Best effort: the key-encryption OID of a kari/kekri/pwri recipient, or the `oriType`. */
function otherKeyAlgorithm(kind: OtherRecipient['kind'], node: BerNode): string | undefined {
  const firstOid = (n: BerNode | undefined) => {
    const oid = n?.children[0];
    return oid?.tagClass === 'universal' && oid.tag === 6 ? readOid(oid, 'recipient', 'algorithm') : undefined;
  };
  try {
    if (kind === 'ori') return readOid(node.children[0], 'recipient', 'oriType');
    // kari: version, originator [0], ukm [1]?, keyEncryptionAlgorithm; kekri: version, kekid, algorithm;
    // pwri: version, keyDerivationAlgorithm [0]?, keyEncryptionAlgorithm. The first universal
    // SEQUENCE after the version whose first element is an OID is the algorithm.
    const start = kind === 'kekri' ? 2 : 1;
    const algo = node.children
      .slice(start)
      .find((c) => c.tagClass === 'universal' && c.tag === 16 && firstOid(c) !== undefined);
    return firstOid(algo);
  } catch {
    return undefined;
  }
}

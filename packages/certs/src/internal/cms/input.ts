/**
 * Turns a CMS file in any of the shapes admins hand us into DER: the S/MIME `*_smime.p7m` Apple
 * downloads (MIME headers, then Base64), PEM (`PKCS7` or `CMS`), bare Base64, or DER bytes.
 * Not part of the public API.
 *
 * Apple writes `Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data`
 * plus `Content-Disposition`/`Content-Description` and no `MIME-Version`; `openssl smime` writes
 * `application/x-pkcs7-mime` with `MIME-Version`; line ends may be CRLF or LF. So headers are read
 * generically and only the two that matter are checked.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8551#section-3.2 S/MIME application/pkcs7-mime
 */
import { MalformedInputError } from '../../errors.js';
import { asText, decodeBase64Strict, looksLikeDer, pemBlocks } from '../pem.js';

/** How the input was encoded. */
export type CmsEncoding = 'smime' | 'pem' | 'der' | 'base64';

/** DER (BER) bytes and the encoding they were found in. */
export interface CmsInput {
  der: Uint8Array;
  encoding: CmsEncoding;
}

const PEM_LABELS = ['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA'];
const MEDIA_TYPES = ['application/pkcs7-mime', 'application/x-pkcs7-mime', 'application/octet-stream'];
const HEADER_RE = /^[A-Za-z][A-Za-z0-9-]*:/;

/** Reads any supported shape of a CMS file. */
export function readCmsInput(input: string | Uint8Array, what: string): CmsInput {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new MalformedInputError(what, `expected a string or bytes, got ${input === null ? 'null' : typeof input}`, {
      hint: 'Pass the file content, e.g. readFileSync(path) or readFileSync(path, "utf8").',
    });
  }
  if (typeof input !== 'string' && looksLikeDer(input)) return { der: new Uint8Array(input), encoding: 'der' };
  const text = asText(input)
    .replace(/^\uFEFF/, '')
    .trim();
  if (text.length === 0) {
    throw new MalformedInputError(what, 'it is empty', { hint: 'Pass the whole file content.' });
  }
  if (/^[^\n]*\.p7m$/i.test(text)) {
    throw new MalformedInputError(what, 'this looks like a file name, not the file content', {
      hint: 'Read the file first, e.g. readFileSync(path).',
    });
  }
  if (text.includes('-----BEGIN ')) return { der: fromPem(text, what), encoding: 'pem' };
  if (HEADER_RE.test(text)) return { der: fromSmime(text, what), encoding: 'smime' };
  return { der: checkDer(decodeBase64Strict(text, what), what), encoding: 'base64' };
}

function fromPem(text: string, what: string): Uint8Array {
  const blocks = pemBlocks(text, what);
  const block = blocks.find((b) => PEM_LABELS.includes(b.label));
  if (!block) {
    const found = blocks.map((b) => `"${b.label}"`).join(', ');
    throw new MalformedInputError(what, `no PEM block "PKCS7" or "CMS" (found ${found || 'no complete block'})`, {
      hint: found.includes('CERTIFICATE')
        ? 'This is a certificate, not a server token; pass the *_smime.p7m file.'
        : 'Pass the *_smime.p7m file downloaded from Apple School Manager.',
    });
  }
  return checkDer(block.der, what);
}

function fromSmime(text: string, what: string): Uint8Array {
  const lines = text.split(/\r?\n/);
  const headers = new Map<string, string>();
  let i = 0;
  let last: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && last !== undefined) {
      // RFC 5322 §2.2.3 folding: a continuation line belongs to the previous header.
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !HEADER_RE.test(line)) {
      throw new MalformedInputError(what, `MIME header line ${i + 1} has no "Name:" form`, {
        hint: 'The MIME headers must be followed by an empty line and the Base64 body.',
      });
    }
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  const mediaType = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType && !MEDIA_TYPES.includes(mediaType)) {
    throw new MalformedInputError(what, `its MIME Content-Type is "${mediaType}", not application/pkcs7-mime`, {
      hint: mediaType.startsWith('multipart/')
        ? 'This is a signed or multipart e-mail, not a server token; pass the *_smime.p7m file.'
        : 'Pass the *_smime.p7m file downloaded from Apple School Manager.',
    });
  }
  const transfer = (headers.get('content-transfer-encoding') ?? 'base64').toLowerCase();
  if (transfer !== 'base64') {
    throw new MalformedInputError(what, `its Content-Transfer-Encoding is "${transfer}", not base64`, {
      hint: 'Pass the *_smime.p7m file exactly as downloaded.',
    });
  }
  const body = lines.slice(i + 1).join('\n');
  if (body.trim() === '') {
    throw new MalformedInputError(what, `the MIME body after line ${i + 1} is empty`, {
      hint: 'The file is truncated; download it again.',
    });
  }
  return checkDer(decodeBase64Strict(body, `${what} (S/MIME body)`), what);
}

function checkDer(der: Uint8Array, what: string): Uint8Array {
  if (!looksLikeDer(der)) {
    throw new MalformedInputError(what, 'the decoded bytes are not a DER/BER structure', {
      hint: 'Pass the *_smime.p7m file exactly as downloaded.',
    });
  }
  return der;
}

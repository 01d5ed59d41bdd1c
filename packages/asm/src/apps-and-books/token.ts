/**
 * The content token the client authenticates with: a `ContentToken` from `@schoolmdm/certs`
 * (read structurally, so this package does not depend on certs) or the raw `.vpptoken` text.
 * The Bearer value is the whole file, trimmed: fleetdm/fleet and petarov/apple-mdm-clients send the
 * raw file, not the inner `token` (format: https://developer.apple.com/documentation/devicemanagement/getting-started-with-the-management-api).
 */
import { InvalidArgumentError } from '@schoolmdm/core';

/**
 * What the client needs of a parsed content token: `parseContentToken()` of
 * `@schoolmdm/certs` returns a `ContentToken` that fits.
 */
export interface ContentTokenLike {
  /** The whole token file, trimmed: the Bearer value. Secret. */
  readonly token: string;
  /** When the token expires (`expDate`). */
  readonly expiresAt?: Date;
  /** The organisation or location the token belongs to. */
  readonly orgName?: string;
}

/** The client's view of its token. The Bearer value never leaves the client's private fields. */
export interface ResolvedToken {
  bearer: string;
  /** The `token` inside the file, when it decodes (masked in errors like the file itself). */
  inner: string | undefined;
  expiresAt: Date | undefined;
  orgName: string | undefined;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Parses Apple's date-times: `2030-11-08T22:33:22+0000` (no colon in the offset, Apple's
 * example and `tokenExpirationDate`), `+02:00`, `+02` and `Z`. `Date.parse` is not guaranteed
 * to accept `+0000` (ECMAScript's format needs the colon), so this parses by hand.
 */
export function parseAppleDateTime(value: string): Date | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const utc = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), millis);
  if (Number.isNaN(utc) || n(2) < 1 || n(2) > 12 || n(4) > 23 || n(5) > 59) return undefined;
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11)) * 60_000;
  return new Date(utc - offset);
}

/**
 * Reads the token option. A string is the `.vpptoken` text: its expiry and organisation are
 * read from the Base64 JSON when it decodes (an opaque string is accepted as is, and Apple
 * judges it).
 *
 * @throws InvalidArgumentError for an empty token or one that cannot be an HTTP header value.
 */
export function resolveToken(input: unknown): ResolvedToken {
  if (typeof input === 'string') return fromText(input);
  if (typeof input === 'object' && input !== null) {
    const t = input as Partial<ContentTokenLike>;
    let bearer: unknown;
    try {
      bearer = t.token;
    } catch {
      bearer = undefined;
    }
    if (typeof bearer !== 'string') {
      throw new InvalidArgumentError('token', 'expected a ContentToken (with a string "token") or the token text', {
        hint: 'Pass parseContentToken(readFileSync("school.vpptoken")) from @schoolmdm/certs, or the file text.',
      });
    }
    const resolved = fromText(bearer);
    const expiresAt = t.expiresAt instanceof Date && !Number.isNaN(t.expiresAt.getTime()) ? t.expiresAt : undefined;
    return {
      bearer: resolved.bearer,
      inner: resolved.inner,
      expiresAt: expiresAt ? new Date(expiresAt.getTime()) : resolved.expiresAt,
      orgName: typeof t.orgName === 'string' ? t.orgName : resolved.orgName,
    };
  }
  throw new InvalidArgumentError(
    'token',
    `expected a ContentToken or a string, got ${input === null ? 'null' : typeof input}`,
    {
      hint: 'Pass the content token downloaded in Apple School Manager (Settings → Apps and Books).',
    },
  );
}

function fromText(text: string): ResolvedToken {
  // Base64 ignores line breaks and an HTTP header cannot hold them: a wrapped file becomes one line.
  const bearer = text.replace(/^\uFEFF/, '').replace(/\s+/g, '');
  if (bearer === '') {
    throw new InvalidArgumentError('token', 'the content token is empty', {
      hint: 'Pass the whole .vpptoken file downloaded in Apple School Manager (Settings → Apps and Books).',
    });
  }
  if (bearer.startsWith('{')) {
    throw new InvalidArgumentError('token', 'this is decoded JSON, not the token file', {
      hint: 'Pass the .vpptoken file exactly as downloaded (Base64 text): the whole file is the Bearer value.',
    });
  }
  // Visible ASCII only: anything else cannot travel in an Authorization header. Never quote it.
  if (!/^[\x21-\x7e]+$/.test(bearer)) {
    throw new InvalidArgumentError('token', 'the content token contains characters that cannot be sent in a header', {
      hint: 'Pass the .vpptoken file as downloaded (Base64 text), not decoded JSON or a binary file.',
    });
  }
  const decoded = decode(bearer);
  return { bearer, inner: decoded.inner, expiresAt: decoded.expiresAt, orgName: decoded.orgName };
}

function decode(bearer: string): { inner?: string; expiresAt?: Date; orgName?: string } {
  if (!/^[A-Za-z0-9+/]+=*$/.test(bearer)) return {};
  try {
    const json = JSON.parse(
      Buffer.from(bearer, 'base64')
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    ) as unknown;
    if (typeof json !== 'object' || json === null) return {};
    const { expDate, orgName, token } = json as { expDate?: unknown; orgName?: unknown; token?: unknown };
    return {
      inner: typeof token === 'string' && token.length >= 8 ? token : undefined,
      expiresAt: typeof expDate === 'string' ? parseAppleDateTime(expDate) : undefined,
      orgName: typeof orgName === 'string' ? orgName : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Reads the plaintext of a server token: a MIME entity (CRLF headers, blank line) whose body is
 * `-----BEGIN MESSAGE-----`, a JSON object, `-----END MESSAGE-----` (LF inside). The same
 * unwrapping is done by nanodep `tokenpki/parse.go` (`UnwrapTokenJSON`). Bare JSON, with or
 * without headers, is accepted too. Not part of the public API.
 *
 * Messages never quote the plaintext: it holds the secrets.
 */
import { parseAppleDate } from '../content-token/apple-date.js';
import { MalformedInputError } from '../errors.js';
import { ServerToken } from './server-token.js';

const WHAT = 'server token';
const BEGIN = '-----BEGIN MESSAGE-----';
const END = '-----END MESSAGE-----';

/** JSON names (nanodep `client/auth.go` `OAuth1Tokens`) → our names. */
const FIELDS = [
  ['consumer_key', 'consumerKey'],
  ['consumer_secret', 'consumerSecret'],
  ['access_token', 'accessToken'],
  ['access_secret', 'accessSecret'],
] as const;

/** Parses decrypted token content into a `ServerToken`. */
export function parseServerTokenPayload(plaintext: Uint8Array): ServerToken {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext).replace(/^\uFEFF/, '');
  } catch {
    throw new MalformedInputError(WHAT, 'the decrypted content is not UTF-8 text', {
      hint: 'This file decrypts but is not an Apple server token.',
    });
  }
  const json = parseJson(extractMessage(text));
  const values: Record<string, string> = {};
  for (const [jsonName, name] of FIELDS) values[name] = requireString(json, jsonName);
  const expiryText = requireString(json, 'access_token_expiry');
  const accessTokenExpiry = parseAppleDate(expiryText);
  if (!accessTokenExpiry) {
    // The expiry is not secret, but quote it only when it looks like a date, never arbitrary text.
    const shown = /^[0-9A-Za-z:+.\- ]{1,40}$/.test(expiryText) ? ` ("${expiryText}")` : '';
    throw new MalformedInputError(WHAT, `"access_token_expiry"${shown} is not an RFC 3339 date-time`, {
      hint: 'Expected a value like 2026-01-17T11:02:21Z; download the token again.',
    });
  }
  return new ServerToken({
    consumerKey: values.consumerKey!,
    consumerSecret: values.consumerSecret!,
    accessToken: values.accessToken!,
    accessSecret: values.accessSecret!,
    accessTokenExpiry,
  });
}

function extractMessage(text: string): string {
  const begin = text.indexOf(BEGIN);
  if (begin >= 0) {
    const end = text.indexOf(END, begin + BEGIN.length);
    if (end < 0) {
      throw new MalformedInputError(WHAT, `the decrypted message has "${BEGIN}" but no "${END}"`, {
        hint: 'The token is incomplete; download it again.',
      });
    }
    return text.slice(begin + BEGIN.length, end);
  }
  // No envelope: skip MIME headers, if any, up to the first empty line.
  if (/^[A-Za-z][A-Za-z0-9-]*:/.test(text)) {
    const blank = /\r?\n\r?\n/.exec(text);
    return blank ? text.slice(blank.index + blank[0].length) : '';
  }
  return text;
}

function parseJson(body: string): Record<string, unknown> {
  const trimmed = body.trim();
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // V8's SyntaxError quotes the input, which holds secrets: report without it.
    throw new MalformedInputError(WHAT, 'the decrypted message is not JSON', {
      hint: 'This file decrypts but is not an Apple server token.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedInputError(WHAT, 'the decrypted message is JSON but not an object', {
      hint: 'This file decrypts but is not an Apple server token.',
    });
  }
  return value as Record<string, unknown>;
}

function requireString(json: Record<string, unknown>, name: string): string {
  const v = json[name];
  if (typeof v === 'string' && v.length > 0) return v;
  const problem =
    v === undefined ? 'is missing' : typeof v === 'string' ? 'is empty' : `is a ${typeName(v)}, not a string`;
  throw new MalformedInputError(WHAT, `the decrypted JSON field "${name}" ${problem}`, {
    hint: 'This file decrypts but is not a complete Apple server token; download it again.',
  });
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

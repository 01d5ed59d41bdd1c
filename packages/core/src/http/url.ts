/** Builds request URLs from a base URL, a path and query parameters. */
import { InvalidArgumentError } from '../errors/invalid-argument.js';

/** One query parameter value. Arrays repeat the key (`a=1&a=2`); `undefined`/`null` are left out. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** Query parameters of a request. Join list values yourself where an API wants `a,b,c`. */
export type Query = Readonly<Record<string, QueryValue>>;

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Checks a `baseURL` option and returns it without a trailing slash. */
export function normalizeBaseURL(baseURL: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseURL);
  } catch {
    throw new InvalidArgumentError('baseURL', `"${baseURL}" is not an absolute URL`, {
      hint: 'Pass the service root, e.g. "https://api-school.apple.com".',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidArgumentError('baseURL', `unsupported protocol "${parsed.protocol}"`, {
      hint: 'Use an https:// URL (http:// only for local test servers).',
    });
  }
  return baseURL.replace(/\/+$/, '');
}

/**
 * Joins `path` to `baseURL` (an absolute `path` is used as is, e.g. a token endpoint on
 * another host) and appends `query`.
 */
export function buildUrl(baseURL: string | undefined, path: string, query?: Query): string {
  let url: string;
  if (ABSOLUTE.test(path)) url = path;
  else if (baseURL === undefined) {
    throw new InvalidArgumentError('path', `"${path}" is relative and the transport has no baseURL`, {
      hint: 'Set baseURL on the transport or pass an absolute URL.',
    });
  } else url = `${baseURL}/${path.replace(/^\/+/, '')}`;
  if (!query) return url;
  let qs = '';
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const k = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const v of value as readonly (string | number | boolean)[]) qs += `&${k}=${encodeURIComponent(String(v))}`;
    } else qs += `&${k}=${encodeURIComponent(String(value))}`;
  }
  if (qs === '') return url;
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}${qs.slice(1)}${hash === -1 ? '' : url.slice(hash)}`;
}

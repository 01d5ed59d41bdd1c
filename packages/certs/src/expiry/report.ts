/**
 * One expiry model for everything a school must renew each year: the ASM server token, the APNs
 * push certificate, the Apps and Books content token, and any other certificate (certs.md §4.1,
 * §6.10). Each row names *which* item it is (topic, serial, organisation, server name), because
 * Apple's own reminder email does not (openradar 35962937), and says how to renew it.
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { inspectCertificate } from '../certificate/inspect.js';
import { MalformedInputError } from '../errors.js';
import { checkArgument, checkOptions, DATE_RULE, describe as describeValue, isPlainObject } from '../internal/args.js';

/** An ASM/ABM server token, shaped like `readServerToken`'s result (only the fields used here). */
export interface ServerTokenExpiryItem {
  kind: 'server-token';
  token: { accessTokenExpiry: Date; consumerKey?: string };
  /** The MDM server's name in Apple School Manager, e.g. `"Mosyle"`. */
  serverName?: string;
}

/** An Apps and Books content token, shaped like the content-token reader's result. */
export interface ContentTokenExpiryItem {
  kind: 'content-token';
  token: { expiresAt: Date; orgName: string };
  /** The Apps and Books location name, when known (from `client/config`). */
  location?: string;
}

/** An APNs MDM push certificate (PEM or DER); its topic names it. */
export interface PushCertificateExpiryItem {
  kind: 'push-certificate';
  certificate: string | Uint8Array;
}

/** Any other certificate (PEM or DER), e.g. the MDM key-pair certificate or the vendor certificate. */
export interface CertificateExpiryItem {
  kind: 'certificate';
  certificate: string | Uint8Array;
  /** How to name it in the report. @default its subject CN and serial */
  label?: string;
}

/** Anything {@link expiryReport} can judge. Defined structurally, so any object of this shape works. */
export type ExpiryItem =
  | ServerTokenExpiryItem
  | ContentTokenExpiryItem
  | PushCertificateExpiryItem
  | CertificateExpiryItem;

/** The `kind` of an {@link ExpiryItem}. */
export type ExpiryItemKind = ExpiryItem['kind'];

/** `ok`, `renew-soon` (inside the renewal window) or `expired`. */
export type ExpiryState = 'ok' | 'renew-soon' | 'expired';

/** Renewal windows. */
export interface ExpiryThresholds {
  /**
   * Days before expiry at which an item turns `renew-soon`. 30 days is what admins ask for and
   * what the tools use: Fleet's APNs/ABM banner (fleetdm/fleet #11544, #19691), the CIPP alert
   * (KelvinTegelaar/CIPP #1114), Jamf's `PUSH_CERT_WILL_EXPIRE`, and Apple's own "30 day
   * notification" email (certs.md §4.1).
   * @default 30
   */
  renewSoonDays?: number;
  /** Per-kind windows overriding `renewSoonDays`, e.g. `{ 'content-token': 15 }`. */
  byKind?: Partial<Record<ExpiryItemKind, number>>;
}

/** Options of {@link expiryReport}. */
export interface ExpiryReportOptions {
  /** @default new Date() */
  now?: Date;
  thresholds?: ExpiryThresholds;
}

/** What identifies an item; only the fields that apply are set. */
export interface ExpiryDetails {
  topic?: string;
  serialNumber?: string;
  commonName?: string;
  subject?: string;
  orgName?: string;
  location?: string;
  serverName?: string;
  /** The first characters of the server token's consumer key, enough to tell tokens apart. */
  consumerKeyPrefix?: string;
}

/** One judged item. */
export interface ExpiryRow {
  /** Position of the item in the input. */
  index: number;
  kind: ExpiryItemKind;
  /** Which item this is: topic, organisation, server name or certificate name. */
  label: string;
  expiresAt: Date;
  /** Whole days left, rounded down; negative once expired (−1 on the first day after expiry). */
  daysLeft: number;
  state: ExpiryState;
  /** The renewal window applied, in days. */
  renewSoonDays: number;
  details: ExpiryDetails;
  /** One sentence: what, when, and how to renew it. */
  message: string;
}

/** An item that could not be judged (unreadable certificate, missing date…). */
export interface ExpiryProblem {
  index: number;
  kind: string | undefined;
  message: string;
}

/** What {@link expiryReport} returns. */
export interface ExpiryReport {
  now: Date;
  /** Most urgent first: expired, then renew-soon, then ok; earliest expiry first within each. */
  rows: ExpiryRow[];
  /** Items that could not be judged; they never stop the others. */
  problems: ExpiryProblem[];
  counts: Record<ExpiryState, number>;
}

const DAY_MS = 86_400_000;
const DEFAULT_RENEW_SOON_DAYS = 30;
const STATE_RANK: Record<ExpiryState, number> = { expired: 0, 'renew-soon': 1, ok: 2 };
const KINDS: readonly ExpiryItemKind[] = ['server-token', 'content-token', 'push-certificate', 'certificate'];

const HOW_TO_RENEW: Record<ExpiryItemKind, string> = {
  'server-token':
    'In Apple School Manager, open this MDM server, download a new server token and upload it to the MDM (any ASM administrator can).',
  'content-token':
    'In Apple School Manager → Settings → Apps and Books, download the new content token and upload it to the MDM.',
  'push-certificate':
    'At identity.apple.com, sign in with the Apple ID that created it and use "Renew" on the row with this topic (never "Create"), then upload the new certificate to the MDM.',
  certificate: 'Renew or replace the certificate.',
};

/**
 * Judges when each item expires and how urgent its renewal is. A bad item (unreadable certificate,
 * invalid date, unknown kind) is listed in `problems` and never fails the report.
 *
 * @example
 * ```ts
 * const report = expiryReport([
 *   { kind: 'server-token', token: serverToken, serverName: 'Mosyle' },
 *   { kind: 'push-certificate', certificate: await readFile('push.pem') },
 *   { kind: 'content-token', token: contentToken },
 * ]);
 * for (const row of report.rows) if (row.state !== 'ok') console.warn(row.message);
 * ```
 * @throws {InvalidArgumentError} `items` is not an array, an option is unknown, or a threshold is not a non-negative number.
 */
export function expiryReport(items: readonly ExpiryItem[], options: ExpiryReportOptions = {}): ExpiryReport {
  checkArgument(
    'items',
    items,
    { expected: 'an array of items', test: Array.isArray, required: true },
    'Pass [] for none.',
  );
  checkOptions('options', options, {
    now: DATE_RULE,
    thresholds: { expected: '{ renewSoonDays?, byKind? }', test: isPlainObject },
  });
  if (options.thresholds !== undefined) {
    checkOptions('options.thresholds', options.thresholds, {
      renewSoonDays: {
        expected: 'a non-negative number of days',
        test: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
      },
      byKind: { expected: 'an object of days per kind', test: isPlainObject },
    });
  }
  const now = options.now ?? new Date();
  const windowFor = thresholdsResolver(options.thresholds);
  const rows: ExpiryRow[] = [];
  const problems: ExpiryProblem[] = [];
  items.forEach((item: unknown, index) => {
    const kind = typeof item === 'object' && item !== null ? (item as { kind?: unknown }).kind : undefined;
    try {
      const judged = identify(item);
      const renewSoonDays = windowFor(judged.kind);
      const msLeft = judged.expiresAt.getTime() - now.getTime();
      const daysLeft = Math.floor(msLeft / DAY_MS);
      const state: ExpiryState = msLeft <= 0 ? 'expired' : msLeft <= renewSoonDays * DAY_MS ? 'renew-soon' : 'ok';
      rows.push({
        index,
        kind: judged.kind,
        label: judged.label,
        expiresAt: judged.expiresAt,
        daysLeft,
        state,
        renewSoonDays,
        details: judged.details,
        message: describe(judged.kind, judged.label, judged.expiresAt, daysLeft, state),
      });
    } catch (e) {
      problems.push({
        index,
        kind: typeof kind === 'string' ? kind : undefined,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  });
  rows.sort(
    (a, b) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] || a.expiresAt.getTime() - b.expiresAt.getTime() || a.index - b.index,
  );
  const counts: Record<ExpiryState, number> = { ok: 0, 'renew-soon': 0, expired: 0 };
  for (const r of rows) counts[r.state]++;
  return { now, rows, problems, counts };
}

function thresholdsResolver(thresholds: ExpiryThresholds | undefined): (kind: ExpiryItemKind) => number {
  const check = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(
        `options.${name}`,
        `expected a non-negative number of days, got ${describeValue(v)}`,
      );
    }
    return v;
  };
  const base = check(thresholds?.renewSoonDays ?? DEFAULT_RENEW_SOON_DAYS, 'thresholds.renewSoonDays');
  const byKind: Partial<Record<ExpiryItemKind, number>> = {};
  for (const [k, v] of Object.entries(thresholds?.byKind ?? {})) {
    if (!(KINDS as readonly string[]).includes(k)) {
      throw new InvalidArgumentError(`options.thresholds.byKind.${k}`, 'unknown kind', {
        hint: `Use one of ${KINDS.join(', ')}.`,
      });
    }
    byKind[k as ExpiryItemKind] = check(v, `thresholds.byKind["${k}"]`);
  }
  return (kind) => byKind[kind] ?? base;
}

interface Identified {
  kind: ExpiryItemKind;
  label: string;
  expiresAt: Date;
  details: ExpiryDetails;
}

function validDate(v: unknown, field: string): Date {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) {
    throw new MalformedInputError('expiry item', `${field} is not a valid Date`, {
      hint: 'Pass the object returned by the token reader, whose dates are Date objects.',
    });
  }
  return v;
}

function identify(item: unknown): Identified {
  if (typeof item !== 'object' || item === null) {
    throw new MalformedInputError('expiry item', 'expected an object with a kind');
  }
  const it = item as Partial<Record<string, unknown>> & { kind?: unknown };
  switch (it.kind) {
    case 'server-token': {
      const token = (it.token ?? {}) as { accessTokenExpiry?: unknown; consumerKey?: unknown };
      const expiresAt = validDate(token.accessTokenExpiry, 'token.accessTokenExpiry');
      const details: ExpiryDetails = {};
      if (typeof it.serverName === 'string' && it.serverName) details.serverName = it.serverName;
      if (typeof token.consumerKey === 'string' && token.consumerKey) {
        // The consumer key identifies the token; a prefix tells tokens apart without reproducing it.
        details.consumerKeyPrefix = `${token.consumerKey.slice(0, 10)}…`;
      }
      const label =
        details.serverName ??
        (details.consumerKeyPrefix ? `server token ${details.consumerKeyPrefix}` : 'server token');
      return { kind: 'server-token', label, expiresAt, details };
    }
    case 'content-token': {
      const token = (it.token ?? {}) as { expiresAt?: unknown; orgName?: unknown };
      const expiresAt = validDate(token.expiresAt, 'token.expiresAt');
      const details: ExpiryDetails = {};
      if (typeof token.orgName === 'string' && token.orgName) details.orgName = token.orgName;
      if (typeof it.location === 'string' && it.location) details.location = it.location;
      const label =
        [details.orgName, details.location].filter((x): x is string => x !== undefined).join(' — ') || 'content token';
      return { kind: 'content-token', label, expiresAt, details };
    }
    case 'push-certificate': {
      const info = inspectCertificate(it.certificate as string | Uint8Array);
      if (!info.topic) {
        throw new MalformedInputError(
          'push certificate',
          `it carries no MDM topic (subject ${info.subject}); pass it as kind "certificate" if it is another certificate`,
        );
      }
      return {
        kind: 'push-certificate',
        label: info.topic,
        expiresAt: info.notAfter,
        details: {
          topic: info.topic,
          serialNumber: info.serialNumber,
          commonName: info.commonName,
          subject: info.subject,
        },
      };
    }
    case 'certificate': {
      const info = inspectCertificate(it.certificate as string | Uint8Array);
      const details: ExpiryDetails = { serialNumber: info.serialNumber, subject: info.subject };
      if (info.commonName) details.commonName = info.commonName;
      const label =
        typeof it.label === 'string' && it.label
          ? it.label
          : `${info.commonName ?? info.subject} (serial ${info.serialNumber})`;
      return { kind: 'certificate', label, expiresAt: info.notAfter, details };
    }
    default:
      throw new MalformedInputError('expiry item', `unknown kind ${JSON.stringify(it.kind)}`, {
        hint: `Use one of ${KINDS.join(', ')}.`,
      });
  }
}

const NOUN: Record<ExpiryItemKind, string> = {
  'server-token': 'Server token',
  'content-token': 'Content token',
  'push-certificate': 'Push certificate',
  certificate: 'Certificate',
};

function describe(kind: ExpiryItemKind, label: string, expiresAt: Date, daysLeft: number, state: ExpiryState): string {
  const when = expiresAt.toISOString().slice(0, 10);
  const what = `${NOUN[kind]} "${label}"`;
  if (state === 'expired') {
    const ago = -daysLeft - 1;
    return `${what} expired on ${when}${ago > 0 ? ` (${ago} day${ago === 1 ? '' : 's'} ago)` : ''}. ${HOW_TO_RENEW[kind]}`;
  }
  const inDays = daysLeft === 0 ? 'in less than a day' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
  return state === 'renew-soon'
    ? `${what} expires ${inDays} (${when}). ${HOW_TO_RENEW[kind]}`
    : `${what} is valid until ${when} (${daysLeft} days left).`;
}

/**
 * `checkAccess()`: can this SDK talk to this school's Mosyle? Logs in and reads one
 * one-column device page, then explains the outcome in words a school admin understands.
 * Never throws for the expected failures.
 */
import { ApiError, ConnectionError, PaginationError, ResponseValidationError, TimeoutError } from '@schoolmdm/core';

/** The diagnosis of {@link MosyleClient.checkAccess}. */
export type AccessDiagnosis =
  /** Login and a device listing worked. */
  | 'ok'
  /** The school's plan has no API access (Mosyle Manager Premium is needed). */
  | 'api-not-enabled'
  /** The access token is missing, wrong or was renewed. */
  | 'bad-token'
  /** The admin email or password is wrong (or the account may not use the API). */
  | 'bad-credentials'
  /** The token is "Restricted" to other server IP addresses. */
  | 'ip-restricted'
  /** Mosyle could not be reached, timed out or failed (5xx). */
  | 'network';

/** What {@link MosyleClient.checkAccess} found. */
export interface AccessCheck {
  /** True only for `ok`. */
  ok: boolean;
  /** The diagnosis. */
  diagnosis: AccessDiagnosis;
  /** One or two sentences for a school admin. */
  message: string;
  /** The next step. */
  hint: string;
  /** Which step failed: `login` or `list` (absent for `ok`). */
  step?: 'login' | 'list';
  /** HTTP status or Mosyle code seen, for support. */
  status?: number;
  /** Mosyle's code, when one was sent. */
  code?: string;
  /** iOS devices Mosyle reported (`rows`), when the listing worked. */
  iosDeviceCount?: number;
}

const TEXT: Record<Exclude<AccessDiagnosis, 'ok'>, { message: string; hint: string }> = {
  'api-not-enabled': {
    message:
      'This Mosyle account has no API access. The Mosyle Manager API needs Mosyle Manager Premium; the free tier has no API token.',
    hint: 'Upgrade to Mosyle Manager Premium and create a token under My School > Integrations > Mosyle API Integration, or keep using the free-tier path of this SDK (CSV files checked by the SDK and imported in the Mosyle console), which still works.',
  },
  'bad-token': {
    message:
      'Mosyle refused the API access token: it is wrong, was renewed (which revokes the old one) or was made for the old Basic authentication.',
    hint: 'Copy the current token from My School > Integrations > Mosyle API Integration (create a new one for JWT authentication if needed).',
  },
  'bad-credentials': {
    message: 'Mosyle refused the admin email or password used to log in to the API.',
    hint: 'Check the email and password of the API admin (My School > Users > Administrators; reset the password there) and that its role allows the API integration.',
  },
  'ip-restricted': {
    message: 'The API token is set to "Restricted" access and this computer’s IP address is not on its list.',
    hint: 'Add this network’s public IP address to the token (My School > Integrations > Mosyle API Integration), or set its Access Method to Public.',
  },
  network: {
    message: 'Mosyle could not be reached, or it failed to answer.',
    hint: 'Check the internet connection, proxy and firewall, then try again; if Mosyle is down, try later.',
  },
};

const IP = /\bip\b|ip address|restricted|not allowed from|whitelist|allowlist/i;
const NOT_ENABLED = /not enabled|premium|api (access|integration) (is )?(disabled|not)|API_NOT_ENABLED|no api access/i;
const TOKEN = /access ?token/i;

/** Turns a failure of `step` into a diagnosis. */
export function diagnose(error: unknown, step: 'login' | 'list'): AccessCheck {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return result('network', step);
  // A proxy or captive portal answering HTML, or a listing that never ends: not Mosyle's answer.
  if (error instanceof PaginationError || error instanceof ResponseValidationError) return result('network', step);
  if (!(error instanceof ApiError)) throw error;
  // What Mosyle said, without the SDK's own hint (whose words would fool the patterns).
  const said = error.hint ? error.message.replace(` — ${error.hint}`, '') : error.message;
  const text = `${error.code ?? ''} ${said}`;
  const extra = { status: error.status, ...(error.code ? { code: error.code } : {}) };
  if (error.status >= 500 || error.status === 429) return { ...result('network', step), ...extra };
  if (IP.test(text) && !TOKEN.test(error.code ?? '')) return { ...result('ip-restricted', step), ...extra };
  if (NOT_ENABLED.test(text) || error.code === 'NOT_ALLOWED') return { ...result('api-not-enabled', step), ...extra };
  if (TOKEN.test(error.code ?? '') || TOKEN.test(said)) return { ...result('bad-token', step), ...extra };
  if (error.status === 403) return { ...result('api-not-enabled', step), ...extra };
  if (step === 'login' && (error.status === 401 || error.status === 400 || error.status === 422)) {
    return { ...result('bad-credentials', step), ...extra };
  }
  if (error.status === 401) return { ...result('bad-token', step), ...extra };
  return { ...result('network', step), ...extra };
}

function result(diagnosis: Exclude<AccessDiagnosis, 'ok'>, step: 'login' | 'list'): AccessCheck {
  return { ok: false, diagnosis, step, ...TEXT[diagnosis] };
}

/** The `ok` result. */
export function accessOk(iosDeviceCount: number | undefined): AccessCheck {
  const out: AccessCheck = {
    ok: true,
    diagnosis: 'ok',
    message: 'The Mosyle API answered: login and device listing work.',
    hint: 'Nothing to do.',
  };
  if (iosDeviceCount !== undefined) out.iosDeviceCount = iosDeviceCount;
  return out;
}

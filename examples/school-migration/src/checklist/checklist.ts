/**
 * The checklist of the steps that have no API (seed.md steps 2–6 and 8), each verified from its
 * file or with one read where possible, with expiry dates and what to do next. A blocking
 * problem here stops `run` before any write.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import {
  type ContentToken,
  decryptServerToken,
  type ExpiryItem,
  expiryReport,
  inspectCertificate,
  inspectServerToken,
  parseContentToken,
  type ServerToken,
} from '@schoolmdm/certs';
import { inspectEnrollmentProfile } from '@schoolmdm/configurator';
import type { LoadedConfig } from '../config/load.js';
import { readPlan } from '../plan/plan.js';
import { describeError } from '../steps/retry.js';
import { appsAndBooksCheck } from './apps-and-books.js';

/** One line of the checklist. */
export interface CheckItem {
  /** What is checked, in the school's words. */
  item: string;
  /** `ok`; `warn` (works, but act soon); `fail` (blocks the run); `manual` (cannot be checked here). */
  state: 'ok' | 'warn' | 'fail' | 'manual';
  /** What was found. */
  detail: string;
  /** When it expires, if it does. */
  expires?: string;
  /** What to do next. */
  next: string;
}

/** What the checklist may use: service checks are optional (a failed login is reported, never thrown). */
export interface ChecklistDeps {
  config: LoadedConfig;
  now: Date;
  /** `person`: no API credentials, the ASM steps go to a person (a worksheet verified from ASM's export). */
  asmAccess?: () => Promise<{ ok: boolean; message: string; person?: boolean }>;
  mosyleAccess?: () => Promise<{ status: string; message: string }>;
  /** iPads in the plan, to judge the free app licences against. */
  ipads?: number;
}

function read(
  config: LoadedConfig,
  key: keyof LoadedConfig['data']['files'],
): { path: string; bytes?: Buffer; error?: string } {
  const path = config.path(config.data.files[key]);
  try {
    return { path, bytes: readFileSync(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { path, error: code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code})` };
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Runs every check; never throws for a bad file or account. */
export async function runChecklist(deps: ChecklistDeps): Promise<CheckItem[]> {
  const { config, now } = deps;
  if (deps.ipads === undefined && deps.asmAccess) {
    try {
      const c = config.data;
      deps = {
        ...deps,
        ipads: readPlan({
          exportPath: config.path(c.inputs.export),
          planPath: config.path(c.inputs.plan),
          groupColumn: c.inputs.groupColumn,
          school: c.school.short,
          naming: c.naming,
        }).devices.length,
      };
    } catch {
      // The plan's own problems are reported by its own check line.
    }
  }
  const items: CheckItem[] = [];
  const expiries: { item: ExpiryItem; name: string }[] = [];

  // MDM key pair (init writes it; the certificate goes to ASM as the MDM server's public key).
  const cert = read(config, 'mdmCertificate');
  const key = read(config, 'mdmPrivateKey');
  let certPem: string | undefined;
  let keyPem: string | undefined;
  if (cert.error || key.error) {
    items.push({
      item: 'MDM key pair',
      state: 'fail',
      detail: (cert.error ?? key.error)!,
      next: 'run `school-migration init` to make the key pair, or fix files.mdmCertificate / files.mdmPrivateKey',
    });
  } else {
    certPem = cert.bytes!.toString('utf8');
    keyPem = key.bytes!.toString('utf8');
    const mode = statSync(key.path).mode & 0o777;
    try {
      const info = inspectCertificate(certPem, { now });
      const samekey = publicKeyMatches(certPem, keyPem);
      items.push({
        item: 'MDM key pair',
        state: !samekey ? 'fail' : (mode & 0o077) !== 0 ? 'warn' : 'ok',
        detail: !samekey
          ? 'the private key does not belong to the certificate'
          : `${info.subject}; private key ${(mode & 0o077) !== 0 ? `readable by others (mode ${mode.toString(8)})` : 'owner-only'}`,
        expires: day(info.notAfter),
        next: !samekey
          ? 'use the private key written together with this certificate (or run init again and upload the new certificate)'
          : (mode & 0o077) !== 0
            ? `chmod 600 ${key.path}`
            : 'upload the certificate in ASM: profile menu > Preferences > your MDM server (Step 4)',
      });
    } catch (e) {
      items.push({
        item: 'MDM key pair',
        state: 'fail',
        detail: describeError(e),
        next: 'run `school-migration init` again',
      });
    }
  }

  // Server token: made for our certificate, and decrypts with our key.
  const tok = read(config, 'serverToken');
  let serverToken: ServerToken | undefined;
  if (tok.error) {
    items.push({
      item: 'MDM server token (ASM)',
      state: 'fail',
      detail: tok.error,
      next: 'in ASM click the Mosyle server, download its token (.p7m) and save it at files.serverToken (Step 4)',
    });
  } else if (certPem && keyPem) {
    try {
      const info = inspectServerToken(tok.bytes!);
      if (!info.matchesCertificate(certPem)) {
        items.push({
          item: 'MDM server token (ASM)',
          state: 'fail',
          detail: 'the token was made for another key: it does not name our MDM certificate',
          next: `upload ${config.data.files.mdmCertificate} to the server in ASM, then download a new token`,
        });
      } else {
        serverToken = decryptServerToken(tok.bytes!, { privateKeyPem: keyPem, certificatePem: certPem });
        expiries.push({
          item: { kind: 'server-token', token: serverToken, serverName: config.data.asm.mosyleServer },
          name: 'MDM server token (ASM)',
        });
      }
    } catch (e) {
      items.push({
        item: 'MDM server token (ASM)',
        state: 'fail',
        detail: describeError(e),
        next: 'download the token again from ASM (the .p7m file, unchanged)',
      });
    }
  }

  // Push certificate: an MDM topic, and made from our CSR's key.
  const push = read(config, 'pushCertificate');
  const pushKey = read(config, 'pushPrivateKey');
  if (push.error || pushKey.error) {
    items.push({
      item: 'Push certificate (APNs)',
      state: 'fail',
      detail: (push.error ?? pushKey.error)!,
      next: "upload the CSR at identity.apple.com with the school's Managed Apple ID, save the .pem at files.pushCertificate (Step 4)",
    });
  } else {
    try {
      const info = inspectCertificate(push.bytes!, { now });
      const matches = publicKeyMatches(push.bytes!.toString('utf8'), pushKey.bytes!.toString('utf8'));
      if (!info.topic || !matches) {
        items.push({
          item: 'Push certificate (APNs)',
          state: 'fail',
          detail: !info.topic
            ? 'no MDM topic (com.apple.mgmt.…): not an MDM push certificate'
            : 'not made from our CSR (its key differs)',
          next: "create it at identity.apple.com from the CSR this program wrote, with the school's Managed Apple ID",
        });
      } else {
        expiries.push({
          item: { kind: 'push-certificate', certificate: push.bytes! },
          name: 'Push certificate (APNs)',
        });
      }
    } catch (e) {
      items.push({
        item: 'Push certificate (APNs)',
        state: 'fail',
        detail: describeError(e),
        next: 'download the .pem again at identity.apple.com',
      });
    }
  }

  // Content token (Apps and Books).
  const vpp = read(config, 'contentToken');
  let contentToken: ContentToken | undefined;
  if (vpp.error) {
    items.push({
      item: 'Apps and Books content token',
      state: 'fail',
      detail: vpp.error,
      next: 'download it in ASM: profile menu > Preferences > Payments and Billing (Step 8)',
    });
  } else {
    try {
      contentToken = parseContentToken(vpp.bytes!);
      expiries.push({ item: { kind: 'content-token', token: contentToken }, name: 'Apps and Books content token' });
    } catch (e) {
      items.push({
        item: 'Apps and Books content token',
        state: 'fail',
        detail: describeError(e),
        next: 'download the token again in ASM (Step 8)',
      });
    }
  }

  // Expiry of what was read, with how to renew each.
  const report = expiryReport(
    expiries.map((e) => e.item),
    { now },
  );
  for (const row of report.rows) {
    const name = expiries[row.index]!.name;
    items.push({
      item: name,
      state: row.state === 'expired' ? 'fail' : row.state === 'renew-soon' ? 'warn' : 'ok',
      detail: `${row.label}: ${row.daysLeft} day(s) left`,
      expires: day(row.expiresAt),
      next: row.state === 'ok' ? 'nothing now; renew it every year' : row.message,
    });
  }
  for (const p of report.problems) {
    items.push({
      item: expiries[p.index]?.name ?? 'expiry',
      state: 'fail',
      detail: p.message,
      next: 'replace the file',
    });
  }

  // With the accounts checked (online), the content token is tried against Apple too.
  if (contentToken && deps.asmAccess) {
    items.push(await appsAndBooksCheck(config, contentToken, deps.ipads ?? 0));
  }

  // Mosyle's enrollment profile (Apple Configurator uses it in Step 7).
  const enr = read(config, 'enrollmentProfile');
  if (enr.error) {
    items.push({
      item: "Mosyle's enrollment profile",
      state: 'fail',
      detail: enr.error,
      next: 'Mosyle > My School > Apple Basic Setup > Enrollment > Apple Configurator 2: download the profile (Step 7)',
    });
  } else {
    try {
      const info = inspectEnrollmentProfile(enr.bytes!, { now });
      items.push({
        item: "Mosyle's enrollment profile",
        state: info.warnings.length > 0 ? 'warn' : 'ok',
        detail: `server ${new URL(info.serverUrl).host}, topic ${info.topic}${info.signed ? `, signed${info.signatureValid ? '' : ' (signature NOT valid)'}` : ''}${info.warnings.length ? `; ${info.warnings.join('; ')}` : ''}`,
        next: 'add it to Apple Configurator (Prepare > Enroll in MDM)',
      });
    } catch (e) {
      items.push({
        item: "Mosyle's enrollment profile",
        state: 'fail',
        detail: describeError(e),
        next: 'download the profile again from Mosyle',
      });
    }
  }

  // The accounts, with one read each.
  if (deps.asmAccess) {
    const r: { ok: boolean; message: string; person?: boolean } = await deps
      .asmAccess()
      .catch((e: unknown) => ({ ok: false, message: describeError(e) }));
    items.push({
      item: 'Apple School Manager API account',
      state: r.ok ? 'ok' : r.person ? 'manual' : 'fail',
      detail: r.message,
      next: r.ok
        ? 'nothing'
        : r.person
          ? 'assignments go to a person: out/worksheet-asm.html after `run`, then `school-migration verify --asm-export <file>`'
          : 'check asm.clientId, asm.keyId and asm.privateKey (ASM > Preferences > API), or set asm.steps: person',
    });
  }
  if (deps.mosyleAccess) {
    const r = await deps.mosyleAccess().catch((e: unknown) => ({ status: 'network', message: describeError(e) }));
    items.push({
      item: 'Mosyle account and API access',
      state: r.status === 'ok' ? 'ok' : r.status === 'api-not-enabled' ? 'warn' : 'fail',
      detail: `${r.status}: ${r.message}`,
      next:
        r.status === 'ok'
          ? 'nothing'
          : r.status === 'api-not-enabled'
            ? 'renaming and grouping go to a person: out/worksheet-mosyle.html after `run`, then `school-migration verify --mosyle-export <file>`; Mosyle Manager Premium enables the API'
            : 'check mosyle.accessToken, mosyle.email and mosyle.password (Mosyle > My School > API Integration)',
    });
  }
  items.push({
    item: 'Release by the old owner',
    state: 'manual',
    detail: 'no API: the old owner releases the serials of out/release-request.csv from its ASM',
    next: 'send out/release-request.csv to the old owner (Step 1); prepare fails on iPads not yet released',
  });
  return items;
}

/** True when the private key is the one of the certificate. */
function publicKeyMatches(certificatePem: string, privateKeyPem: string): boolean {
  try {
    const a = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
    const b = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
    return Buffer.compare(a, b) === 0;
  } catch {
    return false;
  }
}

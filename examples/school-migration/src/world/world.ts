/**
 * The simulated world: Apple School Manager, Apps and Books and Mosyle (the simulators of
 * `@schoolmdm/asm/testing` and `@schoolmdm/mosyle/testing`), the old owner, and the iPads on a
 * Mac running Apple Configurator (a fake `cfgutil` that asks this world), all on one local port
 * and one clock that jumps forward when a client waits. Linked as in a real move: an iPad
 * prepared by Configurator joins the school's ASM on the "Apple Configurator" server; once
 * assigned to the Mosyle server it enrols in Mosyle after a delay; renames show after a delay.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AppsAndBooksSimulator,
  type AsmSimulator,
  toTestServerHandler as asmToServer,
  createAppsAndBooksSimulator,
  createAsmApiAccount,
  createAsmSimulator,
} from '@schoolmdm/asm/testing';
import { encryptServerToken } from '@schoolmdm/certs/testing';
import { writePlist } from '@schoolmdm/configurator';
import { startTestServer, type TestServer } from '@schoolmdm/core/testing';
import {
  createMosyleSimulator,
  type MosyleSimulator,
  toTestServerHandler as mosyleToServer,
} from '@schoolmdm/mosyle/testing';
import YAML from 'yaml';
import { JumpClock } from '../clock.js';
import { MigrationError } from '../errors.js';
import { prng, type SeededSchool, seedSchool, type WorldDevice } from './seed.js';

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** iPads in the school. @defaultValue 300 */
  devices?: number;
  /** Share of API requests answered with a fault (429, 503, reset, malformed body). @defaultValue 0 */
  faultRate?: number;
  /** Seed of the school and of the faults. @defaultValue 1 */
  seed?: number;
  /** Short code and naming template of the school (to name the iPads already moved). */
  short?: string;
  naming?: string;
  /** From ASM assignment to enrolment in Mosyle (simulated ms). @defaultValue 10 min */
  enrolDelayMs?: number;
  /** From rename to the name showing in Mosyle (simulated ms). @defaultValue 20 min */
  renameDelayMs?: number;
}

/** One request the world answered. */
export interface WorldCall {
  at: number;
  service: 'asm' | 'asm-token' | 'apps-and-books' | 'mosyle' | 'cfgutil' | 'world';
  method: string;
  path: string;
  /** The fault injected instead of an answer, if any. */
  fault?: 'rate-limit' | 'server-error' | 'reset' | 'malformed';
}

/** A running world. */
export interface World {
  url: string;
  clock: JumpClock;
  school: SeededSchool;
  asm: AsmSimulator;
  mosyle: MosyleSimulator;
  /** Apps and Books: the school's app licences, behind the content token the world hands out. */
  appsAndBooks: AppsAndBooksSimulator;
  /** Every request, in order. */
  calls: WorldCall[];
  /** The world's own bookkeeping per serial: released by the old owner, prepared, enrolled. */
  devices: Map<string, WorldDevice & { released: boolean; prepared: boolean }>;
  mosyleServerId: string;
  configuratorServerId: string;
  /**
   * Every secret the world handed out or issued (credentials, token secrets, access tokens,
   * JWTs), for tests that scan the program's output for them.
   */
  secrets(): string[];
  /** What the fake `cfgutil` answers for these arguments (benchmarks call it in-process). */
  cfgutil(argv: string[]): { stdout: string; stderr: string; exitCode: number };
  /** Writes the files a school would download (tokens, exports, credentials) and points the config at this world. */
  installInto(configFile: string): Promise<void>;
  close(): Promise<void>;
}

const FAKE_CFGUTIL = fileURLToPath(new URL('../../bin/fake-cfgutil.mjs', import.meta.url));

const hex32 = () => randomBytes(16).toString('hex').toUpperCase();

/** Starts the world on a free port of 127.0.0.1. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const clock = new JumpClock();
  const now = () => clock.now();
  const seed = options.seed ?? 1;
  const school = seedSchool({
    devices: options.devices ?? 300,
    seed,
    short: options.short ?? 'ESM',
    naming: options.naming ?? '{school}-{group}-{nn}',
  });
  const faultRand = prng(seed * 7919 + 17);
  const faultRate = options.faultRate ?? 0;
  const enrolDelay = options.enrolDelayMs ?? 10 * 60_000;
  const devices = new Map(
    school.devices.map((d) => [
      d.serial,
      { ...d, released: d.kind !== 'not-released', prepared: d.kind === 'already-moved' || d.kind === 'school-bought' },
    ]),
  );
  const mosyleServerId = hex32();
  const configuratorServerId = hex32();
  const account = createAsmApiAccount();
  const t0 = now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const asm = createAsmSimulator(
    {
      now,
      accounts: [account],
      servers: [
        { id: mosyleServerId, serverName: 'Mosyle', serverType: 'MDM', createdDateTime: iso(t0 - 86_400_000) },
        {
          id: configuratorServerId,
          serverName: 'Apple Configurator',
          serverType: 'APPLE_CONFIGURATOR',
          createdDateTime: iso(t0 - 86_400_000 * 400),
        },
      ],
      devices: [...devices.values()]
        .filter((d) => d.kind === 'already-moved' || d.kind === 'school-bought')
        .map((d) => ({
          serialNumber: d.serial,
          productFamily: 'iPad',
          deviceModel: 'iPad (9th generation)',
          addedToOrgDateTime: iso(t0 - 86_400_000 * 30),
          ...(d.kind === 'already-moved' ? { serverId: mosyleServerId } : {}),
        })),
      config: { readLagMs: 30_000, processingMs: 60_000, pollsBeforeDone: 1, logBaseURL: 'http://127.0.0.1' },
    },
    { anyOrigin: true },
  );
  const credentials = {
    accessToken: `mos_${randomBytes(18).toString('hex')}`,
    email: 'it@ecole-sainte-marie.example',
    password: `pw-${randomBytes(12).toString('base64url')}`,
  };
  const mosyle = createMosyleSimulator(
    {
      credentials,
      plan: 'premium',
      visibilityDelayMs: options.renameDelayMs ?? 20 * 60_000,
      sharedDeviceGroups: school.groups.map((g, i) => ({ id: String(101 + i), name: g, os: 'ios', udids: [] })),
      devices: [],
    },
    { now },
  );
  for (const d of devices.values()) {
    if (d.kind !== 'already-moved') continue;
    const m = mosyle.enroll({ serialNumber: d.serial, name: d.name, supervised: true, enrollmentType: 'DEP_SHARED' });
    mosyle.state.sharedDeviceGroups.find((g) => g.name === d.group)?.udids.push(m.udid);
  }
  mosyle.checkInAll();

  // An iPad assigned to the Mosyle server enrols once it is prepared (it fetches its cloud
  // configuration at the next start), after a delay.
  const enrolAt = new Map<string, number>();
  asm.state.listeners.push((ev) => {
    if (ev.type === 'device-assigned' && ev.serverId === mosyleServerId) enrolAt.set(ev.serial, ev.at + enrolDelay);
  });
  const tick = () => {
    asm.settle();
    const t = now();
    for (const [serial, at] of enrolAt) {
      const d = devices.get(serial);
      if (at > t || !d?.prepared) continue;
      enrolAt.delete(serial);
      if (!mosyle.device(serial))
        mosyle.enroll({ serialNumber: serial, name: 'iPad', supervised: true, enrollmentType: 'DEP_SHARED' });
    }
  };

  let server: TestServer | undefined;
  const calls: WorldCall[] = [];
  const handedOut: string[] = [];
  const asmHandler = asmToServer(asm.handlers);
  const mosyleHandler = mosyleToServer(mosyle.handlers);
  // Made once the port is known: the Apps and Books handlers answer one absolute base URL.
  let appsAndBooks!: AppsAndBooksSimulator;
  let vppHandler!: ReturnType<typeof asmToServer>;

  server = await startTestServer(async (req, res) => {
    const path = req.url.split('?')[0]!;
    const service: WorldCall['service'] = path.startsWith('/__world/cfgutil')
      ? 'cfgutil'
      : path.startsWith('/__world')
        ? 'world'
        : path.startsWith('/v2/')
          ? 'mosyle'
          : path.startsWith('/mdm/v2/')
            ? 'apps-and-books'
            : path.startsWith('/auth/')
              ? 'asm-token'
              : 'asm';
    const call: WorldCall = { at: now(), service, method: req.method, path };
    calls.push(call);
    if (service === 'world' || service === 'cfgutil') return worldEndpoint(req.method, path, req.body, res);
    tick();
    if (faultRate > 0 && faultRand() < faultRate) {
      const r = faultRand();
      call.fault = r < 0.25 ? 'rate-limit' : r < 0.5 ? 'server-error' : r < 0.75 ? 'reset' : 'malformed';
      if (call.fault === 'reset') {
        res.socket?.destroy();
        return;
      }
      if (call.fault === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data": [{"id": "');
        return;
      }
      res.writeHead(call.fault === 'rate-limit' ? 429 : 503, {
        'content-type': 'application/json',
        'retry-after': '1',
      });
      res.end(
        JSON.stringify({ errors: [{ status: call.fault === 'rate-limit' ? '429' : '503', code: 'SIMULATED_FAULT' }] }),
      );
      return;
    }
    if (service === 'mosyle') return mosyleHandler(req, res);
    if (service === 'apps-and-books') return vppHandler(req, res);
    return asmHandler(req, res);
  });
  const url = server.url;
  appsAndBooks = createAppsAndBooksSimulator(
    {
      assets: [
        { adamId: '361309726', totalCount: Math.ceil(school.devices.length * 1.05) },
        { adamId: '409183694', totalCount: Math.ceil(school.devices.length / 2) },
      ],
    },
    { baseURL: `${url}/mdm/v2`, now },
  );
  vppHandler = asmToServer(appsAndBooks.handlers);

  function worldEndpoint(method: string, path: string, body: string, res: import('node:http').ServerResponse) {
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/__world/clock') {
      if (method === 'POST') {
        const { to } = JSON.parse(body || '{}') as { to?: number };
        if (typeof to === 'number') clock.advanceTo(to);
        tick();
      }
      return send(200, { now: clock.now() });
    }
    if (path === '/__world/cfgutil' && method === 'POST') {
      const { argv } = JSON.parse(body || '{}') as { argv?: string[] };
      return send(200, cfgutil(argv ?? []));
    }
    return send(404, { error: `no world endpoint ${method} ${path}` });
  }

  /** The iPads cabled to the Mac: the authority's ones not prepared yet. */
  const attached = () =>
    [...devices.values()].filter((d) => (d.kind === 'authority' || d.kind === 'not-released') && !d.prepared);

  function cfgutil(argv: string[]): { stdout: string; stderr: string; exitCode: number } {
    const ecids: string[] = [];
    let i = 0;
    const rest: string[] = [];
    while (i < argv.length) {
      const a = argv[i]!;
      if (a === '--format' || a === '-C' || a === '-K' || a === '--certificate' || a === '--private-key') i += 2;
      else if (a === '--ecid' || a === '-e') {
        ecids.push(argv[i + 1]!);
        i += 2;
      } else {
        rest.push(a);
        i++;
      }
    }
    const [command, ...args] = rest;
    const byEcid = new Map([...devices.values()].map((d) => [d.ecid, d]));
    const out = (o: Record<string, unknown>, exitCode = 0) => ({
      stdout: JSON.stringify({ Command: command, ...o }),
      stderr: '',
      exitCode,
    });
    if (command === 'help')
      return {
        stdout: 'Usage: cfgutil prepare [--dep] [--skip-language] [--skip-region] [--skip-all]\n',
        stderr: '',
        exitCode: 0,
      };
    const targets = ecids.length > 0 ? ecids : attached().map((d) => d.ecid);
    if (command === 'list') {
      const list = attached();
      return out({
        Type: 'CommandOutput',
        Devices: list.map((d) => d.ecid),
        Output: Object.fromEntries(
          list.map((d, k) => [
            d.ecid,
            { ECID: d.ecid, deviceType: 'iPad12,1', name: 'iPad', locationID: 0x14100000 + k },
          ]),
        ),
      });
    }
    if (command === 'get') {
      return out({
        Type: 'CommandOutput',
        Devices: targets,
        Output: Object.fromEntries(
          targets.map((e) => [
            e,
            Object.fromEntries(args.map((p) => [p, p === 'serialNumber' ? byEcid.get(e)?.serial : null])),
          ]),
        ),
      });
    }
    if (command === 'prepare') {
      const failed: string[] = [];
      for (const e of targets) {
        const d = byEcid.get(e);
        if (!d?.released) {
          failed.push(e);
          continue;
        }
        d.prepared = true;
        const t = now();
        asm.state.devices.set(d.serial, {
          serialNumber: d.serial,
          productFamily: 'iPad',
          deviceModel: 'iPad (9th generation)',
          serverId: configuratorServerId,
          addedToOrgDateTime: iso(t),
          updatedAt: t,
        });
      }
      if (failed.length === 0) return out({ Type: 'CommandOutput', Devices: targets, Output: {} });
      const message =
        'A cloud configuration from another organisation is present on this device: the old owner has not released it from its Apple School Manager';
      return out(
        {
          Type: 'Error',
          Message: message,
          Code: 33001,
          Domain: 'ConfigurationUtilityErrorDomain',
          AffectedDevices: failed,
          UnaffectedDevices: targets.filter((e) => !failed.includes(e)),
        },
        failed.length === targets.length ? 1 : 0,
      );
    }
    return out({ Type: 'Error', Message: `unknown command ${command}` }, 1);
  }

  return {
    url,
    clock,
    school,
    asm,
    mosyle,
    appsAndBooks,
    calls,
    devices,
    mosyleServerId,
    configuratorServerId,
    cfgutil,
    secrets: () => [
      ...handedOut,
      credentials.accessToken,
      credentials.password,
      // The body of the ASM API private key, line by line (a PEM may be re-wrapped).
      ...account.privateKeyPem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')),
      ...asm.state.tokens.keys(),
      ...mosyle.state.jwts.map((j) => j.token),
    ],
    async installInto(configFile: string) {
      const dir = dirname(resolve(configFile));
      const doc = YAML.parseDocument(readFileSync(configFile, 'utf8'));
      const at = (p: string) => resolve(dir, String(doc.getIn(p.split('.'))));
      const certPath = at('files.mdmCertificate');
      const csrPath = join(dir, 'out/push-certificate.csr');
      if (!existsSync(certPath) || !existsSync(csrPath)) {
        throw new MigrationError(`${certPath} or ${csrPath} is missing`, { hint: 'run `school-migration init` first' });
      }
      const put = (p: string, content: string | Uint8Array, secret = false) => {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content, secret ? { mode: 0o600 } : {});
        if (secret) chmodSync(p, 0o600);
      };
      put(at('inputs.export'), school.exportCsv);
      const token = {
        consumerKey: `CK_${randomBytes(16).toString('hex')}`,
        consumerSecret: `CS_${randomBytes(16).toString('hex')}`,
        accessToken: `AT_${randomBytes(16).toString('hex')}`,
        accessSecret: `AS_${randomBytes(16).toString('hex')}`,
        accessTokenExpiry: new Date(now() + 365 * 86_400_000),
      };
      handedOut.push(token.consumerSecret, token.accessToken, token.accessSecret);
      put(at('inputs.plan'), school.planCsv);
      // Apple School Manager's answer to the uploaded public key.
      put(
        at('files.serverToken'),
        encryptServerToken({ recipientCertificatePem: readFileSync(certPath, 'utf8'), token }),
      );
      // identity.apple.com's answer to the CSR: a push certificate with an MDM topic.
      put(at('files.pushCertificate'), signPushCertificate(readFileSync(csrPath, 'utf8')));
      // The content token Apple knows: the Apps and Books simulator takes it as the Bearer value.
      const contentToken = appsAndBooks.issueToken({
        orgName: String(doc.getIn(['school', 'name'])),
        expiresAt: new Date(now() + 200 * 86_400_000),
      });
      handedOut.push(
        contentToken.trim(),
        JSON.parse(Buffer.from(contentToken.trim(), 'base64').toString('utf8')).token,
      );
      put(at('files.contentToken'), contentToken);
      put(at('files.enrollmentProfile'), enrollmentProfile(url, String(doc.getIn(['school', 'name']))));
      const secrets = join(dir, 'secrets');
      mkdirSync(secrets, { recursive: true, mode: 0o700 });
      put(join(secrets, 'asm-client-id'), account.clientId, true);
      put(join(secrets, 'asm-key-id'), account.keyId, true);
      put(join(secrets, 'asm-api-key.pem'), account.privateKeyPem, true);
      put(join(secrets, 'mosyle-access-token'), credentials.accessToken, true);
      put(join(secrets, 'mosyle-email'), credentials.email, true);
      put(join(secrets, 'mosyle-password'), credentials.password, true);
      doc.setIn(['asm', 'clientId'], doc.createNode({ file: 'secrets/asm-client-id' }, { flow: true }));
      doc.setIn(['asm', 'keyId'], doc.createNode({ file: 'secrets/asm-key-id' }, { flow: true }));
      doc.setIn(['asm', 'privateKey'], doc.createNode({ file: 'secrets/asm-api-key.pem' }, { flow: true }));
      doc.setIn(['asm', 'baseURL'], `${url}/v1`);
      doc.setIn(['asm', 'tokenURL'], `${url}/auth/oauth2/token`);
      doc.setIn(['mosyle', 'accessToken'], doc.createNode({ file: 'secrets/mosyle-access-token' }, { flow: true }));
      doc.setIn(['mosyle', 'email'], doc.createNode({ file: 'secrets/mosyle-email' }, { flow: true }));
      doc.setIn(['mosyle', 'password'], doc.createNode({ file: 'secrets/mosyle-password' }, { flow: true }));
      doc.setIn(['mosyle', 'baseURL'], `${url}/v2`);
      doc.setIn(['appsAndBooks', 'baseURL'], `${url}/mdm/v2`);
      doc.setIn(['configurator', 'mode'], 'cfgutil');
      doc.setIn(['configurator', 'cfgutil'], FAKE_CFGUTIL);
      doc.setIn(['world'], doc.createNode({ url }, { flow: true }));
      writeFileSync(configFile, doc.toString());
    },
    close: async () => {
      await server?.close();
    },
  };
}

/** Signs a CSR as identity.apple.com would: a certificate with an MDM topic (openssl). */
function signPushCertificate(csrPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'world-push-'));
  try {
    writeFileSync(join(dir, 'req.csr'), csrPem);
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[] };
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'ca.key'),
        '-subj',
        '/CN=Simulated Apple Application Integration CA',
        '-days',
        '30',
        '-out',
        join(dir, 'ca.pem'),
      ],
      quiet,
    );
    const uid = randomUUID();
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        join(dir, 'req.csr'),
        '-CA',
        join(dir, 'ca.pem'),
        '-CAkey',
        join(dir, 'ca.key'),
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        '-days',
        '365',
        '-subj',
        `/UID=com.apple.mgmt.External.${uid}/CN=APSP:${uid}/C=US`,
        '-out',
        join(dir, 'push.pem'),
      ],
      quiet,
    );
    return readFileSync(join(dir, 'push.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Mosyle's Apple Configurator enrollment profile. Its URLs are names only (no simulated iPad
 * fetches them), so they keep the https:// scheme Apple requires.
 */
function enrollmentProfile(_url: string, school: string): string {
  const url = 'https://mdm.mosyle.invalid/ecole-sainte-marie';
  const scepUuid = randomUUID().toUpperCase();
  return writePlist({
    PayloadContent: [
      {
        PayloadContent: { 'Key Type': 'RSA', 'Key Usage': 5, Keysize: 2048, Name: 'Mosyle SCEP', URL: `${url}/scep` },
        PayloadIdentifier: 'com.mosyle.enrollment.scep',
        PayloadType: 'com.apple.security.scep',
        PayloadUUID: scepUuid,
        PayloadVersion: 1,
      },
      {
        AccessRights: 8191,
        CheckInURL: `${url}/mdm/checkin`,
        CheckOutWhenRemoved: true,
        IdentityCertificateUUID: scepUuid,
        PayloadIdentifier: 'com.mosyle.enrollment.mdm',
        PayloadType: 'com.apple.mdm',
        PayloadUUID: randomUUID().toUpperCase(),
        PayloadVersion: 1,
        ServerCapabilities: ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bootstraptoken'],
        ServerURL: `${url}/mdm/server`,
        SignMessage: true,
        Topic: `com.apple.mgmt.External.${randomUUID()}`,
      },
    ],
    PayloadDisplayName: 'MDM Profile',
    PayloadIdentifier: 'com.mosyle.enrollment',
    PayloadOrganization: school,
    PayloadType: 'Configuration',
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadVersion: 1,
  });
}

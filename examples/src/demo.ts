/**
 * `pnpm demo`: the automatable parts of a school's move, end to end, on this machine only.
 *
 * Until the end-to-end runner (`examples/school-migration`) exists, this program composes what
 * the packages already do, with the services played locally:
 *
 * 1. read the old MDM's serial-number export (an Excel CSV from a Belgian school) and write the
 *    release request for the old owner;
 * 2. make the MDM key pair for Apple School Manager, receive a server token (made locally with
 *    `@schoolmdm/certs/testing`, as ASM would), check it was made for our certificate, decrypt it;
 * 3. read the Apps and Books content token;
 * 4. build, sign and verify the Wi-Fi profile the freshly prepared iPads need;
 * 5. list devices from a local HTTP service through the transport (cursor pages, a 429 with
 *    `Retry-After`) and rename them in a batch where one device fails and is reported;
 * 6. print the expiry report of every token and certificate, and the steps that stay manual.
 *
 * Files land in `examples/out/`. No request leaves 127.0.0.1.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptServerToken,
  expiryReport,
  generateMdmKeyPair,
  inspectCertificate,
  inspectServerToken,
  parseContentToken,
} from '@schoolmdm/certs';
import { createContentTokenFile, encryptServerToken } from '@schoolmdm/certs/testing';
import { createProfile, readPlist, rootCertificate, verifySignedProfile, wifi } from '@schoolmdm/configurator';
import {
  looseObject,
  openEnum,
  paginate,
  readSerialCsv,
  runBatch,
  type SchoolMdmError,
  Transport,
  writeSerialCsv,
} from '@schoolmdm/core';
import { z } from 'zod';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = join(here, '..', 'data');
const outDir = join(here, '..', 'out');
const now = new Date();

const step = (title: string) => console.log(`\n━━ ${title}`);
const line = (text: string) => console.log(`   ${text}`);

await mkdir(outDir, { recursive: true });

// ─── 1. Inventory ────────────────────────────────────────────────────────────────────────────
step('1. Serial numbers from the old MDM, and the release request');
const exportFile = join(dataDir, 'jamf-school-export.csv');
const inventory = readSerialCsv(await readFile(exportFile));
line(
  `read ${inventory.recordCount} records (BOM: ${inventory.bom}, sep= line: ${inventory.sepLine}, ` +
    `delimiter ${JSON.stringify(inventory.delimiter)}, serial column "${inventory.serialColumn?.header}")`,
);
for (const issue of inventory.issues) line(`line ${issue.line} [${issue.kind}] ${issue.message}`);
const releaseCsv = writeSerialCsv(inventory.serials);
await writeFile(join(outDir, 'release-request.csv'), releaseCsv);
line(`${inventory.serials.length} serials written to out/release-request.csv for the old owner`);

// ─── 2. MDM server token ─────────────────────────────────────────────────────────────────────
step('2. MDM server in Apple School Manager: public key out, server token in');
const mdm = await generateMdmKeyPair({ commonName: 'Ecole Sainte-Marie MDM' });
await writeFile(join(outDir, 'mdm-public-key.pem'), mdm.certificatePem);
const mdmCert = inspectCertificate(mdm.certificatePem);
line(
  `out/mdm-public-key.pem: ${mdmCert.subject}, ${mdmCert.keyType} ${mdmCert.keySize}, valid to ${day(mdmCert.notAfter)}`,
);
line(`the key pair prints as ${String(mdm)} — its private key never reaches a log`);

// What Apple School Manager sends back after the upload (here made locally by the test helper).
const tokenFile = encryptServerToken({
  recipientCertificatePem: mdm.certificatePem,
  token: {
    consumerKey: 'CK_4f1c2b7e9d0a6c3e5b8f1a2d4c6e8b0a',
    consumerSecret: 'CS_demo_consumer_secret_value',
    accessToken: 'AT_demo_access_token_value',
    accessSecret: 'AS_demo_access_secret_value',
    accessTokenExpiry: new Date(now.getTime() + 365 * 86_400_000),
  },
});
await writeFile(join(outDir, 'Ecole_Token_smime.p7m'), tokenFile);
const inspection = inspectServerToken(tokenFile);
line(
  `token: ${inspection.encoding}, ${inspection.contentEncryptionAlgorithm.name}, ` +
    `made for our certificate: ${inspection.matchesCertificate(mdm.certificatePem)}`,
);
const serverToken = decryptServerToken(tokenFile, {
  privateKeyPem: mdm.privateKeyPem,
  certificatePem: mdm.certificatePem,
});
line(`decrypted: ${String(serverToken)}`);

// ─── 3. Content token ────────────────────────────────────────────────────────────────────────
step('3. Apps and Books content token');
const vppFile = createContentTokenFile({
  orgName: 'Ecole Sainte-Marie',
  expiresAt: new Date(now.getTime() + 20 * 86_400_000),
});
const contentToken = parseContentToken(vppFile);
line(`${contentToken.orgName}, expires ${day(contentToken.expiresAt)}; prints as ${JSON.stringify(contentToken)}`);

// ─── 4. Wi-Fi profile ────────────────────────────────────────────────────────────────────────
step('4. The Wi-Fi profile for freshly prepared iPads');
const schoolCa = await generateMdmKeyPair({ commonName: 'Ecole Sainte-Marie RADIUS CA' });
const profile = createProfile({
  identifier: 'be.ecole-sainte-marie.wifi',
  displayName: 'Wi-Fi école',
  organization: 'Ecole Sainte-Marie',
  payloads: [
    rootCertificate({ certificate: schoolCa.certificatePem }),
    wifi({ ssid: 'ESM-Eleves', security: 'WPA2', password: 'demo-psk-not-a-secret', autoJoin: true }),
  ],
});
const signed = profile.sign({ certificatePem: mdm.certificatePem, privateKeyPem: mdm.privateKeyPem });
await writeFile(join(outDir, 'wifi.mobileconfig'), signed);
const verified = verifySignedProfile(signed);
const model = readPlist(verified.content) as { PayloadContent: { PayloadType: string }[]; PayloadUUID: string };
line(`out/wifi.mobileconfig: ${signed.length} bytes, signature valid: ${verified.signatureValid}`);
line(
  `payloads: ${model.PayloadContent.map((p) => p.PayloadType).join(', ')}; UUID ${model.PayloadUUID} (same on every build)`,
);
for (const w of profile.warnings) line(`warning: ${w.message}`);

// ─── 5. Transport against a local service ────────────────────────────────────────────────────
step('5. Devices through the transport: cursor pages, a 429, a batch with one failure');
const service = await startDeviceService(inventory.serials);
const transport = new Transport({ baseURL: service.url, maxRetries: 3 });
const Device = looseObject({ serialNumber: z.string(), status: openEnum(['ASSIGNED', 'UNASSIGNED']) });
const Page = looseObject({ data: z.array(Device), nextCursor: z.string().optional() });
try {
  const devices = paginate({
    strategy: 'cursor',
    fetchPage: async (cursor, { signal }) =>
      (await transport.get('/devices', { query: { limit: 3, cursor }, schema: Page }, { signal })).data,
    nextCursor: (page) => page.nextCursor,
    items: (page) => page.data,
  });
  const listed = await devices.toArray({ limit: 10_000 });
  line(
    `listed ${listed.length} devices in pages of 3 (the service answered 429 once; the transport waited and retried)`,
  );

  const renames = await runBatch(
    listed,
    async (device, _index, { signal }) =>
      (
        await transport.post(
          `/devices/${device.serialNumber}/name`,
          { body: { name: `ESM-${device.serialNumber.slice(-4)}` } },
          { signal, idempotent: true },
        )
      ).data,
    { concurrency: 4 },
  );
  line(`renamed ${renames.succeeded.length}, failed ${renames.failed.length}:`);
  for (const f of renames.failed) line(`  ${f.item.serialNumber}: ${(f.error as SchoolMdmError).message}`);
} finally {
  await transport.close();
  await service.close();
}

// ─── 6. Expiry report and what stays manual ──────────────────────────────────────────────────
step('6. Expiry report');
const report = expiryReport(
  [
    { kind: 'server-token', token: serverToken, serverName: 'Mosyle (Ecole Sainte-Marie)' },
    { kind: 'content-token', token: contentToken },
    { kind: 'certificate', certificate: mdm.certificatePem, label: 'MDM public key' },
  ],
  { now },
);
for (const r of report.rows)
  line(`${r.state.padEnd(10)} ${String(r.daysLeft).padStart(4)} days  ${r.kind}: ${r.label}`);

step('Still manual (no API exists)');
for (const s of [
  'ask the authority to release the serials in out/release-request.csv from its Apple School Manager',
  "create the school's Apple School Manager account (Managed Apple ID) and the Mosyle account",
  'upload out/mdm-public-key.pem in ASM → Preferences → MDM Server Assignment, download the token',
  'create the APNs push certificate at identity.apple.com with the Apple ID the school keeps',
  'prepare each iPad with Apple Configurator (cfgutil prepare on a Mac) and the Mosyle enrollment URL',
]) {
  line(`• ${s}`);
}
console.log(`\nfiles written to ${outDir}`);

/** A tiny device service on 127.0.0.1: cursor pages, one 429 with Retry-After, one failing rename. */
async function startDeviceService(serials: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  let throttledOnce = false;
  const failing = serials[2];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `demo-${Date.now()}`, ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/devices') {
      const start = Number(url.searchParams.get('cursor') ?? 0);
      if (start > 0 && !throttledOnce) {
        throttledOnce = true;
        return send(429, { errors: [{ code: 'RATE_LIMITED', detail: 'Too many requests' }] }, { 'retry-after': '1' });
      }
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const data = serials.slice(start, start + limit).map((serialNumber) => ({ serialNumber, status: 'ASSIGNED' }));
      const next = start + limit < serials.length ? String(start + limit) : undefined;
      return send(200, { data, nextCursor: next });
    }
    const rename = /^\/devices\/([A-Z0-9]+)\/name$/.exec(url.pathname);
    if (req.method === 'POST' && rename) {
      if (rename[1] === failing) {
        return send(404, { errors: [{ code: 'NOT_FOUND', detail: `Device ${failing} is not enrolled yet` }] });
      }
      return send(200, { ok: true });
    }
    return send(404, { errors: [{ code: 'NOT_FOUND', detail: 'No such route' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

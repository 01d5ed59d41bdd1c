/**
 * `init`: the config template and the MDM key pair (private key owner-only), the push
 * certificate's key and CSR, and what to upload where.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createPushCertificateCsr, generateMdmKeyPair } from '@schoolmdm/certs';
import { MigrationError } from '../errors.js';

/** Options of {@link initProject}. */
export interface InitOptions {
  dir: string;
  school: string;
  short: string;
  force?: boolean;
}

/** The config file name `init` writes and the other commands look for. */
export const CONFIG_FILE = 'school-migration.yaml';

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** The commented YAML template. */
export function configYaml(school: string, short: string): string {
  return `# school-migration: moving the school's iPads to Mosyle under its own Apple School Manager.
# Paths are relative to this file. Credentials are NEVER written here: each one names an
# environment variable ({ env: NAME }) or a file readable only by you ({ file: path }).
school:
  name: ${yamlString(school)}
  short: ${yamlString(short)}          # used in device names
# Device names: {school}, {group}, {nn} (number within the group), {serial}, {last4}
naming: "{school}-{group}-{nn}"
inputs:
  export: data/old-mdm-export.csv    # the old MDM's export (Jamf: serial number column)
  plan: data/plan.csv                # serial -> group (cart or class); optional "origin" column: school
files:
  mdmCertificate: keys/mdm-public-key.pem      # upload in ASM as the MDM server's public key
  mdmPrivateKey: keys/mdm-private-key.pem      # stays here (chmod 600)
  serverToken: tokens/server-token.p7m         # downloaded from ASM after the upload
  pushCertificate: tokens/push-certificate.pem # from identity.apple.com
  pushPrivateKey: keys/push-private-key.pem    # the key of out/push-certificate.csr
  contentToken: tokens/content-token.vpptoken  # ASM > Preferences > Payments and Billing
  enrollmentProfile: tokens/mosyle-enrollment.mobileconfig
asm:
  mosyleServer: Mosyle                # the MDM server's name in Apple School Manager
  clientId: { env: ASM_CLIENT_ID }
  keyId: { env: ASM_KEY_ID }
  privateKey: { file: secrets/asm-api-key.pem }
  steps: api                          # or: person
mosyle:
  accessToken: { env: MOSYLE_ACCESS_TOKEN }
  email: { env: MOSYLE_EMAIL }
  password: { file: secrets/mosyle-password }
  steps: auto                         # auto: the API when the plan has it, else a person
configurator:
  mode: cfgutil                       # or: person (confirmations: a CSV of prepared serials)
  cfgutil: cfgutil
journal: state/journal.jsonl
out: out
`;
}

/** Writes the project; returns the lines to print. */
export async function initProject(options: InitOptions): Promise<string[]> {
  const dir = resolve(options.dir);
  const configPath = join(dir, CONFIG_FILE);
  if (existsSync(configPath) && !options.force) {
    throw new MigrationError(`${configPath} already exists`, {
      hint: 'pass --force to write a new template and key pair (the old MDM key pair would be replaced)',
    });
  }
  for (const d of ['keys', 'tokens', 'data', 'state', 'out']) mkdirSync(join(dir, d), { recursive: true });
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  chmodSync(join(dir, 'secrets'), 0o700);
  writeFileSync(configPath, configYaml(options.school, options.short));

  const mdm = await generateMdmKeyPair({ commonName: `${options.school} MDM`.slice(0, 64) });
  writeFileSync(join(dir, 'keys/mdm-public-key.pem'), mdm.certificatePem);
  writeFileSync(join(dir, 'keys/mdm-private-key.pem'), mdm.privateKeyPem, { mode: 0o600 });
  chmodSync(join(dir, 'keys/mdm-private-key.pem'), 0o600);

  const csr = await createPushCertificateCsr({ commonName: options.school.slice(0, 64) });
  writeFileSync(join(dir, 'keys/push-private-key.pem'), csr.privateKeyPem, { mode: 0o600 });
  chmodSync(join(dir, 'keys/push-private-key.pem'), 0o600);
  writeFileSync(join(dir, 'out/push-certificate.csr'), csr.csrPem);

  const plan = join(dir, 'data/plan.csv');
  if (!existsSync(plan)) writeFileSync(plan, 'serial,group,origin\r\n');
  const rel = (p: string) => relative(process.cwd(), join(dir, p)) || '.';
  return [
    `wrote ${rel(CONFIG_FILE)} (edit it: school, naming, Mosyle server name)`,
    `wrote the MDM key pair: ${rel('keys/mdm-public-key.pem')} and ${rel('keys/mdm-private-key.pem')} (owner-only)`,
    `wrote the push certificate request ${rel('out/push-certificate.csr')} and its key ${rel('keys/push-private-key.pem')} (owner-only)`,
    'next:',
    `  1. Apple School Manager > profile menu > Preferences > add an MDM server "Mosyle": upload ${rel('keys/mdm-public-key.pem')}, download its token to ${rel('tokens/server-token.p7m')}`,
    `  2. identity.apple.com (the school's Managed Apple ID): upload ${rel('out/push-certificate.csr')}, save the .pem as ${rel('tokens/push-certificate.pem')}`,
    `  3. ASM > Preferences > Payments and Billing: download the content token to ${rel('tokens/content-token.vpptoken')}`,
    `  4. Mosyle > My School > Apple Basic Setup > Enrollment: save the Apple Configurator profile as ${rel('tokens/mosyle-enrollment.mobileconfig')}`,
    `  5. export the serial numbers from the old MDM to ${rel('data/old-mdm-export.csv')}; list each iPad with its group in ${rel('data/plan.csv')}`,
    `  6. credentials: ASM_CLIENT_ID, ASM_KEY_ID, MOSYLE_ACCESS_TOKEN, MOSYLE_EMAIL in the environment; ${rel('secrets/asm-api-key.pem')} and ${rel('secrets/mosyle-password')} (chmod 600)`,
    '  then: school-migration check',
  ];
}

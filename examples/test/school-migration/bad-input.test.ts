/**
 * Bad input gets a clear message (what, where, what to do) and no API write: wrong paths, a
 * server token made for another key, an expired content token, a plan with unknown or
 * duplicate serials, a config with a credential written in it, bad flags.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContentTokenFile, createTestRecipient, encryptServerToken } from '@schoolmdm/certs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../school-migration/src/config/load.js';
import { ConfigError } from '../../school-migration/src/errors.js';
import { makeProject, type Project } from './support.js';

let p: Project;
const saved = new Map<string, string>();
const edit = (rel: string, content: string | Uint8Array) => {
  const f = join(p.dir, rel);
  if (!saved.has(f)) {
    copyFileSync(f, `${f}.orig`);
    saved.set(f, `${f}.orig`);
  }
  writeFileSync(f, content);
};
beforeAll(async () => {
  p = await makeProject({ devices: 40, seed: 5 });
}, 60_000);
afterEach(() => {
  for (const [f, orig] of saved) copyFileSync(orig, f);
  saved.clear();
});
afterAll(() => p?.close());

/** Every call that reached the world's services (not its clock or cfgutil). */
const apiCalls = () => p.world.calls.filter((c) => c.service !== 'world');

async function refused(...args: string[]) {
  const before = apiCalls().length;
  const r = await p.cli(...args);
  expect(r.code).toBe(1);
  expect(apiCalls().slice(before)).toEqual([]);
  return r.stderr;
}

describe('bad input', () => {
  it('a wrong path: names the file, the config key and the next step; nothing is sent', async () => {
    edit(
      'school-migration.yaml',
      readFileSync(p.config, 'utf8').replace('tokens/server-token.p7m', 'tokens/server-token-2025.p7m'),
    );
    const err = await refused('run');
    expect(err).toMatch(/MDM server token \(ASM\): .*server-token-2025\.p7m does not exist/);
    expect(err).toMatch(/next: in ASM click the Mosyle server, download its token/);
    expect(err).toMatch(/nothing was sent to any service/);
  });

  it('a plan file that does not exist', async () => {
    edit('school-migration.yaml', readFileSync(p.config, 'utf8').replace('data/plan.csv', 'data/plan-2026.csv'));
    const err = await refused('run');
    expect(err).toMatch(/inputs\.plan \(.*plan-2026\.csv\): does not exist/);
  });

  it('a server token made for another key', async () => {
    const other = createTestRecipient({ commonName: 'another MDM' });
    edit(
      'tokens/server-token.p7m',
      encryptServerToken({
        recipientCertificatePem: other.certificatePem,
        token: {
          consumerKey: 'CK_x',
          consumerSecret: 'CS_x',
          accessToken: 'AT_x',
          accessSecret: 'AS_x',
          accessTokenExpiry: new Date(Date.now() + 86_400_000),
        },
      }),
    );
    const err = await refused('run');
    expect(err).toMatch(/the token was made for another key/);
    expect(err).toMatch(/upload keys\/mdm-public-key\.pem to the server in ASM, then download a new token/);
  });

  it('an expired content token', async () => {
    edit(
      'tokens/content-token.vpptoken',
      createContentTokenFile({ orgName: 'Ecole Sainte-Marie', expiresAt: new Date(Date.now() - 3 * 86_400_000) }),
    );
    const err = await refused('run');
    expect(err).toMatch(/Apps and Books content token/);
    expect(err).toMatch(/expired|-\d+ day/);
    const check = await p.cli('check', '--offline');
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/\[FAIL\] Apps and Books content token/);
  });

  it('a plan with an unknown serial and a duplicate: every problem with its line', async () => {
    const plan = readFileSync(join(p.dir, 'data/plan.csv'), 'utf8').trimEnd().split('\r\n');
    const dup = plan[2]!;
    plan.push(dup.replace(/;[^;]+;/, ';P4;'), 'DMPQQQQQQQQQ;P3;autorité');
    edit('data/plan.csv', `${plan.join('\r\n')}\r\n`);
    const err = await refused('run');
    expect(err).toMatch(/the plan has 2 problems; nothing was sent to any service/);
    expect(err).toMatch(
      new RegExp(
        `line ${plan.length - 1} \\(${dup.split(';')[0]!.replace('\ufeff', '')}\\): duplicate serial \\(first on line 3\\)`,
      ),
    );
    expect(err).toMatch(
      new RegExp(`line ${plan.length} \\(DMPQQQQQQQQQ\\): unknown serial: not in the old MDM's export`),
    );
    const dry = await refused('plan');
    expect(dry).toMatch(/duplicate serial/);
  });

  it('a credential written in the config, an unknown key, a wrong value: each with its path and what to write instead', () => {
    const text = readFileSync(p.config, 'utf8')
      .replace('password: { file: secrets/mosyle-password }', 'password: "hunter2-do-not-print"')
      .replace('steps: auto', 'steps: sometimes')
      .replace('naming: "{school}-{group}-{nn}"', 'naming: "{school}-{groupe}"\nnamming: x');
    writeFileSync(join(p.dir, 'bad.yaml'), text);
    let error: unknown;
    try {
      loadConfig(join(p.dir, 'bad.yaml'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /mosyle\.password: a credential is never written in the config file\n\s+write instead: password: \{ env: MOSYLE_PASSWORD \}/,
    );
    expect(message).toMatch(/mosyle\.steps: .*\n\s+write instead: one of: "auto", "api", "person"/);
    expect(message).toMatch(/namming: is not a known setting/);
    expect(message).toMatch(/naming: .*unique/);
    expect(message).not.toMatch(/hunter2/);
  });

  it('a config that does not exist, and bad flags', async () => {
    const r = await p.cli('--config', join(p.dir, 'nope.yaml'), 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.yaml: 1 problem\n.*the config file does not exist\n.*school-migration init/);
    const limit = await p.cli('run', '--limit', 'ten');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit.*whole number/);
    const until = await p.cli('run', '--until', 'finished');
    expect(until.code).toBe(2);
    expect(until.stderr).toMatch(/expected one of: listed, release-requested/);
  });
});

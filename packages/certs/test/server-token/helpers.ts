/**
 * Shared fixtures of the server-token tests: a token with recognisable secrets (so leak checks
 * can search for them) and helpers that damage a file in precise ways.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { runPeer, tempDir } from '../../../../test/support/peers.js';
import type { ServerTokenFields } from '../../src/index.js';
import { parseEnvelope } from '../../src/internal/cms/enveloped-data.js';
import { readCmsInput } from '../../src/internal/cms/input.js';
import { contentCipherByOid } from '../../src/internal/cms/oids.js';
import { formatServerTokenMessage } from '../../src/testing/index.js';

/** A token shaped like Apple's (the `AT_` value embeds the issue time in ms, certs.md §1.1). */
export const TOKEN: ServerTokenFields = {
  consumerKey: 'CK_48dd68d198350f51258e885ce9a5c37ab7f98543c4f697bf0e7fa4e6e6b2cb3f',
  consumerSecret: 'CS_SECRETconsumerb6a3f8e2d1c4a7b9e0f3d6c9a2b5e8f1d4c7a0b3e6f9',
  accessToken: 'AT_SECRETaccess1737111741803Oc0d8e2f5a9b1c4d7e0f3a6b9c2d5e8f1a4b7c0d3',
  accessSecret: 'AS_SECRETaccesssecret9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4',
  accessTokenExpiry: new Date('2026-01-17T11:02:21Z'),
};

/** Every secret of `TOKEN`, for leak checks. */
export const SECRETS = [TOKEN.consumerSecret, TOKEN.accessToken, TOKEN.accessSecret];

/** Apple's decrypted message for `TOKEN` (CRLF headers, LF inside). */
export const MESSAGE = formatServerTokenMessage(TOKEN);

/**
 * Flips bit 7 of the last byte of the second-to-last ciphertext block. In CBC that flips the same
 * bit of the last plaintext byte, the padding length (1–16), which then exceeds the block size:
 * the padding check fails every time, whatever the key and IV.
 */
export function corruptPadding(file: Uint8Array): Uint8Array {
  const { der } = readCmsInput(file, 'fixture');
  const envelope = parseEnvelope(der, 'fixture');
  const block = contentCipherByOid(envelope.contentEncryptionAlgorithm.oid)!.ivBytes;
  const ciphertext = envelope.encryptedContent!;
  if (ciphertext.length < 2 * block) throw new Error('fixture needs two ciphertext blocks');
  const prev = ciphertext.subarray(ciphertext.length - 2 * block, ciphertext.length - block);
  const out = new Uint8Array(der);
  const at = Buffer.from(out).lastIndexOf(Buffer.from(prev));
  if (at < 0) throw new Error('ciphertext block not found contiguously');
  out[at + block - 1]! ^= 0x80;
  return out;
}

/** Runs `openssl` in a folder; returns stdout. */
export function openssl(dir: string, args: string[], input?: string | Uint8Array): Buffer {
  return runPeer('openssl', args, { cwd: dir, input });
}

/** A temp folder holding an openssl-made RSA-2048 key, certificate, and `MESSAGE` in inner.txt. */
export function opensslWorkspace(subject = '/CN=depserver') {
  const tmp = tempDir('schoolmdm-token-');
  openssl(tmp.dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'mdm.key',
    '-out',
    'mdm.crt',
    '-days',
    '1',
    '-subj',
    subject,
    '-addext',
    'keyUsage=digitalSignature,keyEncipherment',
  ]);
  writeFileSync(tmp.path('inner.txt'), MESSAGE);
  return {
    ...tmp,
    read: (name: string) => readFileSync(tmp.path(name)),
    readText: (name: string) => readFileSync(tmp.path(name), 'utf8'),
    write: (name: string, data: string | Uint8Array) => writeFileSync(tmp.path(name), data),
    openssl: (args: string[], input?: string | Uint8Array) => openssl(tmp.dir, args, input),
  };
}

/** Everything a thrown value shows: message, stack, JSON, inspect with hidden fields, causes. */
export function everythingShown(e: unknown): string {
  return [String(e), (e as Error)?.stack ?? '', JSON.stringify(e), inspect(e, { showHidden: true, depth: 10 })].join(
    '\n',
  );
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected a throw, but the call returned');
}

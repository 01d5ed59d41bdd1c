/**
 * Loading the EC P-256 private key Apple School Manager gives an API account, with a clear
 * error for each way it can be wrong. Not part of the public API.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '@schoolmdm/core';

const HINT =
  'Use the .pem file downloaded when the API account was created in Apple School Manager (Preferences → API): an EC P-256 ("prime256v1") private key.';

/**
 * Parses `pem` into a `KeyObject` and checks that it is an EC P-256 private key. Never quotes
 * the key in an error.
 */
export function loadAsmPrivateKey(pem: unknown, passphrase?: string): KeyObject {
  if (typeof pem !== 'string' && !(pem instanceof Uint8Array)) {
    throw new InvalidArgumentError('privateKeyPem', `expected the PEM text of the key, got ${describe(pem)}`, {
      hint: HINT,
    });
  }
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    const what = /-----BEGIN (CERTIFICATE|PUBLIC KEY)-----/.exec(text)?.[1];
    throw new InvalidArgumentError(
      'privateKeyPem',
      what ? `this is a ${what.toLowerCase()}, not a private key` : 'no "-----BEGIN … PRIVATE KEY-----" block found',
      { hint: HINT },
    );
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new InvalidArgumentError('privateKeyPem', 'the key is encrypted and no passphrase was given', {
      hint: 'Pass privateKeyPassphrase, or decrypt it once: openssl pkey -in key.pem -out key-plain.pem',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: text, format: 'pem', passphrase } : { key: text, format: 'pem' });
  } catch {
    // The cause is dropped on purpose: OpenSSL's messages can quote parts of the input.
    throw new InvalidArgumentError(
      'privateKeyPem',
      encrypted ? 'the key could not be decrypted (wrong passphrase?)' : 'the PEM block is not a readable private key',
      { hint: HINT },
    );
  }
  if (key.asymmetricKeyType !== 'ec') {
    throw new InvalidArgumentError(
      'privateKeyPem',
      `expected an EC (elliptic curve) key, got a ${String(key.asymmetricKeyType).toUpperCase()} key`,
      { hint: `${HINT} RSA keys belong to MDM server tokens, not to the API.` },
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') {
    throw new InvalidArgumentError('privateKeyPem', `expected the P-256 curve (prime256v1), got ${String(curve)}`, {
      hint: `${HINT} ES256 signs with P-256 only.`,
    });
  }
  return key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return 'an object (a KeyObject? pass its PEM export instead)';
  return typeof value;
}

import { writeFileSync } from 'node:fs';
import { compareTopics, MalformedInputError } from '@schoolmdm/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { makeCert, pushCert, rsaKey, type TestCert } from '../certificate/test-pki.js';

const TOPIC_A = 'com.apple.mgmt.External.aaaaaaaa-1111-4222-8333-444444444444';
const TOPIC_B = 'com.apple.mgmt.External.bbbbbbbb-5555-4666-8777-888888888888';

let ca: TestCert;
let current: TestCert;
let renewed: TestCert;
let created: TestCert;
beforeAll(() => {
  ca = makeCert({ subject: [['CN', 'Test Application Integration 2 CA']], key: rsaKey(0), ca: true });
  const day = 86_400_000;
  current = pushCert(TOPIC_A, ca, rsaKey(1), new Date(Date.now() + 20 * day));
  renewed = pushCert(TOPIC_A, ca, rsaKey(2), new Date(Date.now() + 385 * day));
  created = pushCert(TOPIC_B, ca, rsaKey(2), new Date(Date.now() + 385 * day));
});

describe('compareTopics', () => {
  it('passes a proper renewal (same topic, new certificate)', () => {
    const cmp = compareTopics(current.certPem, renewed.certPem);
    expect(cmp).toMatchObject({ same: true, sameCertificate: false, oldTopic: TOPIC_A, newTopic: TOPIC_A });
    expect(cmp.newNotAfter.getTime()).toBeGreaterThan(cmp.oldNotAfter.getTime());
    expect(cmp.message).toMatch(/unchanged/);
  });

  it('flags a changed topic and states the consequence', () => {
    const cmp = compareTopics(current.certPem, created.der);
    expect(cmp.same).toBe(false);
    expect(cmp.oldTopic).toBe(TOPIC_A);
    expect(cmp.newTopic).toBe(TOPIC_B);
    expect(cmp.message).toContain('every enrolled device');
    expect(cmp.message).toContain('re-enrolls');
    expect(cmp.message).toContain('Renew');
  });

  it('notices the same file passed twice', () => {
    const cmp = compareTopics(current.certPem, current.der);
    expect(cmp).toMatchObject({ same: true, sameCertificate: true });
    expect(cmp.message).toMatch(/not a renewal/);
  });

  it('throws MalformedInputError naming which input is not a push certificate', () => {
    const plain = makeCert({ subject: [['CN', 'not push']], key: rsaKey(3) });
    expect(() => compareTopics(plain.certPem, renewed.certPem)).toThrow(MalformedInputError);
    expect(() => compareTopics(plain.certPem, renewed.certPem)).toThrow(
      /current push certificate: it has no subject UID/,
    );
    expect(() => compareTopics(renewed.certPem, plain.certPem)).toThrow(/renewed push certificate/);
    const mail = pushCert('com.apple.mail.XServer.1234', ca, rsaKey(3));
    expect(() => compareTopics(current.certPem, mail.certPem)).toThrow(
      /UID "com.apple.mail.XServer.1234" is not an MDM topic/,
    );
    expect(() => compareTopics('garbage', current.certPem)).toThrow(/Malformed current push certificate/);
    let caught: unknown;
    try {
      compareTopics(plain.certPem, renewed.certPem);
    } catch (e) {
      caught = e;
    }
    expect((caught as MalformedInputError).what).toBe('current push certificate');
  });
});

describe.skipIf(!peers.openssl)('compareTopics on openssl-made push certificates', () => {
  const tmp = tempDir('certs-topics-');
  afterAll(() => tmp.cleanup());

  it('reads the UID topic openssl wrote and compares', () => {
    writeFileSync(tmp.path('ca.key'), ca.keyPem);
    writeFileSync(tmp.path('ca.crt'), ca.certPem);
    const make = (name: string, topic: string) => {
      runPeer('openssl', [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        tmp.path(`${name}.key`),
        '-out',
        tmp.path(`${name}.csr`),
        '-subj',
        `/UID=${topic}/CN=APSP:${name}/C=US`,
      ]);
      return runPeer('openssl', [
        'x509',
        '-req',
        '-in',
        tmp.path(`${name}.csr`),
        '-CA',
        tmp.path('ca.crt'),
        '-CAkey',
        tmp.path('ca.key'),
        '-set_serial',
        name === 'one' ? '1' : '2',
        '-days',
        '365',
      ]).toString();
    };
    const one = make('one', TOPIC_A);
    const two = make('two', TOPIC_B);
    expect(compareTopics(one, current.certPem).same).toBe(true);
    expect(compareTopics(one, two)).toMatchObject({ same: false, oldTopic: TOPIC_A, newTopic: TOPIC_B });
  });
});

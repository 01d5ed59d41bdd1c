/**
 * Key-pair and CSR benchmarks for `@schoolmdm/certs`.
 *
 * - `generateMdmKeyPair` against a raw `crypto.generateKeyPair('rsa', 2048)` in the same run:
 *   the certificate wrapper (forge encoding, one native signature, PEM export) must cost at most
 *   half a key generation (goal ≤ 1.5×). RSA generation is a random prime search whose time varies
 *   several-fold between calls (certs.md §5), so the two are interleaved over 40 rounds and the
 *   ratio is taken between medians.
 * - The same wrapper alone on a fixed key, as a share of the key-generation median: the steady
 *   view of that overhead.
 * - `createPushCertificateCsr` with a provided key: build, sign natively and re-verify.
 */
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { promisify } from 'node:util';
import { type BenchReport, compare, measure } from '../../../bench/harness.js';
import { createPushCertificateCsr, generateMdmKeyPair } from '../src/index.js';
import { selfSignedKeyPair } from '../src/keypair/generate.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export default async function (): Promise<BenchReport> {
  const pair = await compare(
    () => generateMdmKeyPair(),
    () => generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }),
    { iterations: 40, warmup: 3 },
  );

  // The wrapper alone (forge encoding, one native signature, PEM/PKCS#8 export) on a fixed key:
  // a steadier view of the same overhead, free of prime-search variance.
  const fixed = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wrapper = await measure(() => selfSignedKeyPair(fixed.privateKey, fixed.publicKey, 'schoolmdm MDM', 365), {
    iterations: 200,
    warmup: 20,
  });
  const keyPem = fixed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csr = await measure(
    () =>
      createPushCertificateCsr({
        commonName: 'Lincoln High',
        email: 'it@lincoln.example',
        country: 'US',
        privateKeyPem: keyPem,
      }),
    { iterations: 200, warmup: 20 },
  );

  return {
    id: 'certs/keys',
    rows: [
      {
        name: 'generateMdmKeyPair vs raw crypto.generateKeyPair rsa-2048',
        subject: pair.subject,
        baseline: pair.baseline,
        ratio: pair.ratio,
        goal: '≤ 1.5× a raw generateKeyPair (ratio of medians, 40 interleaved rounds)',
        pass: pair.ratio <= 1.5,
        metrics: { overheadMsMedian: pair.subject.medianMs - pair.baseline.medianMs },
      },
      {
        name: 'self-signed certificate wrapper alone (fixed key)',
        subject: wrapper,
        goal: '≤ 0.5× the raw generateKeyPair median of this run (same 1.5× budget, variance-free)',
        pass: wrapper.medianMs <= 0.5 * pair.baseline.medianMs,
        metrics: { shareOfKeygenMedian: wrapper.medianMs / pair.baseline.medianMs },
      },
      {
        name: 'createPushCertificateCsr (provided RSA-2048 key)',
        subject: csr,
        metrics: { opsPerSec: 1000 / csr.medianMs },
      },
    ],
  };
}

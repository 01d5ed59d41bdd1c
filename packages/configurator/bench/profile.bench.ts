/**
 * Profiles built and signed per second (issue #5, "Benchmark").
 *
 * One iteration = the builders (`wifi()`, `rootCertificate()` parsing a PEM, `restrictions()`),
 * `createProfile()` (identifiers, UUIDv5, schema typing, full validation), `toBytes()` and a
 * signature. Ours signs with `node:crypto` RSA-SHA256 (via the plist engineer's CMS signer);
 * the baseline builds the same profile the same way and signs its bytes with node-forge
 * `pkcs7.createSignedData()`, interleaved in the same run (`compare`).
 */
import { type BenchReport, compare, measure } from '../../../bench/harness.js';
import { createProfile, type Profile, restrictions, rootCertificate, wifi } from '../src/index.js';
import { createCmsSigner, verifySignedProfile } from '../src/signing/index.js';
import { makePki } from '../test/fixtures/pki.js';
import { forgeSigner } from './models.js';

export default async function (): Promise<BenchReport> {
  const pki = makePki();
  const options = {
    certificatePem: pki.signer.certPem,
    privateKeyPem: pki.signer.keyPem,
    chainPem: pki.intermediate.certPem,
  };

  const build = (): Profile =>
    createProfile({
      identifier: 'org.example.school.bootstrap',
      displayName: 'School Wi-Fi and restrictions',
      organization: 'Example School',
      payloads: [
        rootCertificate({ certificate: pki.root.certPem }),
        wifi({ ssid: 'Schul-WLAN Gäste', security: 'WPA2', password: 'Schul-Passwort-2025!' }),
        restrictions({
          airDrop: false,
          eraseContentAndSettings: false,
          camera: true,
          ratingApps: 600,
          forceEncryptedBackup: true,
        }),
      ],
      validation: { supervised: true },
    });

  const forgeSign = forgeSigner(pki.signer.keyPem, pki.signer.certPem, pki.intermediate.certPem);

  // Sanity: both sides sign the same bytes, and our verifier accepts both.
  const sample = build();
  for (const signed of [sample.sign(options), forgeSign(sample.toBytes())]) {
    const v = verifySignedProfile(signed);
    if (!v.signatureValid || !Buffer.from(v.content).equals(Buffer.from(sample.toBytes()))) {
      throw new Error('profile benchmark: signature invalid');
    }
  }

  const signer = createCmsSigner(options);
  const vsForge = await compare(
    () => build().sign(signer),
    () => forgeSign(build().toBytes()),
    { iterations: 60, warmup: 6 },
  );
  const oneShot = await measure(() => build().sign(options), { iterations: 150, warmup: 15 });
  const buildOnly = await measure(() => build().toBytes(), { iterations: 300, warmup: 30 });

  const batch = 200;
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) build().sign(signer);
  const perSecond = batch / ((performance.now() - t0) / 1000);

  return {
    id: 'configurator/profile',
    rows: [
      {
        name: 'profile built (Wi-Fi + root cert + restrictions, validated) + signed: node:crypto signer vs node-forge pkcs7',
        subject: vsForge.subject,
        baseline: vsForge.baseline,
        ratio: vsForge.ratio,
        goal: 'build + sign faster than the same build + node-forge signing (ratio < 1)',
        pass: vsForge.ratio < 1,
        metrics: {
          'profiles/s (ours, from median)': 1000 / vsForge.subject.medianMs,
          'profiles/s (forge, from median)': 1000 / vsForge.baseline.medianMs,
          'profiles/s (ours, 200 in a row)': perSecond,
          'forge/ours': 1 / vsForge.ratio,
          xmlBytes: sample.toBytes().length,
        },
      },
      {
        name: 'profile built + signed with one-shot sign({ certificatePem, privateKeyPem, chainPem })',
        subject: oneShot,
        metrics: { 'profiles/s (from median)': 1000 / oneShot.medianMs },
      },
      {
        name: 'profile built + serialised, unsigned (builders + createProfile + toBytes)',
        subject: buildOnly,
        metrics: { 'profiles/s (from median)': 1000 / buildOnly.medianMs },
      },
    ],
  };
}

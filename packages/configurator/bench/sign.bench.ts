/**
 * Signing benchmarks for `@schoolmdm/configurator`.
 *
 * - Signing (DER CMS SignedData, RSA-2048, SHA-256, signed attributes, chain) vs node-forge
 *   `pkcs7.createSignedData().sign({ detached: false })` on the same bytes, interleaved with
 *   `compare()`. Goal (issue #5): ours ≥ 10× faster, i.e. forge/ours ≥ 10. The goal row is
 *   like for like: a `createCmsSigner` (key and certificates parsed once) against forge with
 *   its key and certificates parsed once. A second row shows the one-shot `signCms`, which
 *   parses the PEM key and certificates on every call, against the same forge baseline.
 * - Profiles built and signed per second: `writePlist` + UTF-8 encode + sign of the bootstrap
 *   Wi-Fi profile, with a prepared signer and with one-shot `signCms`.
 * - `verifySignedProfile` of that profile.
 */
import { type BenchReport, compare, measure } from '../../../bench/harness.js';
import { writePlist } from '../src/plist/index.js';
import { createCmsSigner, signCms, verifySignedProfile } from '../src/signing/index.js';
import { makePki } from '../test/fixtures/pki.js';
import { forgeSigner, schoolProfile, wifiProfile } from './models.js';

export default async function (): Promise<BenchReport> {
  const pki = makePki();
  const options = {
    certificatePem: pki.signer.certPem,
    privateKeyPem: pki.signer.keyPem,
    chainPem: pki.intermediate.certPem,
  };
  const content = Buffer.from(writePlist(schoolProfile), 'utf8');

  const forgeSign = forgeSigner(pki.signer.keyPem, pki.signer.certPem, pki.intermediate.certPem);

  // Sanity: both produce signatures our verifier accepts over the same content.
  for (const signed of [signCms(content, options), forgeSign(content)]) {
    const v = verifySignedProfile(signed);
    if (!v.signatureValid || !Buffer.from(v.content).equals(content))
      throw new Error('sign benchmark: signature invalid');
  }

  const signer = createCmsSigner(options);
  const vsForge = await compare(
    () => signer.sign(content),
    () => forgeSign(content),
    { iterations: 40, warmup: 4 },
  );
  const oneShotVsForge = await compare(
    () => signCms(content, options),
    () => forgeSign(content),
    { iterations: 40, warmup: 4 },
  );

  const wifiBytes = () => Buffer.from(writePlist(wifiProfile), 'utf8');
  const buildAndSign = () => signer.sign(wifiBytes());
  const built = await measure(buildAndSign, { iterations: 300, warmup: 30 });
  const builtOneShot = await measure(() => signCms(wifiBytes(), options), { iterations: 300, warmup: 30 });
  const batch = 200;
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) buildAndSign();
  const perSecond = batch / ((performance.now() - t0) / 1000);

  const signedWifi = buildAndSign();
  const verify = await measure(() => verifySignedProfile(signedWifi), { iterations: 300, warmup: 30 });

  return {
    id: 'configurator/sign',
    rows: [
      {
        name: 'createCmsSigner().sign vs node-forge pkcs7 sign, both pre-parsed (school profile, RSA-2048, chain, signed attrs)',
        subject: vsForge.subject,
        baseline: vsForge.baseline,
        ratio: vsForge.ratio,
        goal: 'forge/ours ≥ 10× (ours ≥ 10× faster)',
        pass: 1 / vsForge.ratio >= 10,
        metrics: { 'forge/ours': 1 / vsForge.ratio, contentBytes: content.length },
      },
      {
        name: 'signCms one-shot (parses PEM key + certs per call) vs node-forge pre-parsed',
        subject: oneShotVsForge.subject,
        baseline: oneShotVsForge.baseline,
        ratio: oneShotVsForge.ratio,
        metrics: { 'forge/ours': 1 / oneShotVsForge.ratio },
      },
      {
        name: 'profiles built + signed per second (Wi-Fi profile: writePlist + prepared signer)',
        subject: built,
        metrics: {
          'profiles/s (200 in a row)': perSecond,
          'profiles/s (from median)': 1000 / built.medianMs,
          'profiles/s one-shot signCms (from median)': 1000 / builtOneShot.medianMs,
        },
      },
      {
        name: 'verifySignedProfile (Wi-Fi profile)',
        subject: verify,
        metrics: { 'verifications/s': 1000 / verify.medianMs },
      },
    ],
  };
}

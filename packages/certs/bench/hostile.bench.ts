/**
 * Adversarial shapes from 1 KB to 10 MB through certs' file readers (issue #15, item 13): the
 * push-request plist reader on repeated `<!--`, `<plist` and unclosed elements (1 MB took 13–85 s
 * before), and PEM input of BEGIN lines without END (11.4 s at 1 MB). Each row's ratio is the
 * per-byte cost at 10 MB over that at 100 KB: about 1 when linear, about 100 when quadratic.
 */
import { type BenchReport, linearScaling } from '../../../bench/harness.js';
import { inspectCertificate, MalformedInputError, verifyPushCertificateRequest } from '../src/index.js';

/** Runs `read`, accepting its typed refusal (these inputs are all malformed). */
function refused(read: () => unknown): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof MalformedInputError)) throw err;
  }
}

const repeat = (unit: string) => (n: number) => unit.repeat(Math.ceil(n / unit.length));
const plist = (body: (n: number) => string) => (n: number) => `<plist version="1.0"><dict>${body(n)}`;

export default async function (): Promise<BenchReport> {
  const push = (t: string) => refused(() => verifyPushCertificateRequest(t));
  return {
    id: 'certs/hostile',
    rows: [
      linearScaling('push request: repeated <!-- without -->', repeat('<!--'), push),
      linearScaling('push request: repeated <plist without >', repeat('<plist'), push),
      linearScaling('push request: unclosed elements', plist(repeat('<key>k</key><x>')), push),
      linearScaling('push request: unclosed <key>', plist(repeat('<key>')), push),
      linearScaling('inspectCertificate: BEGIN lines without END', repeat('-----BEGIN CERTIFICATE-----\n'), (t) =>
        refused(() => inspectCertificate(t)),
      ),
    ],
  };
}

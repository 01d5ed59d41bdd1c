/**
 * The scripted station as a `cfgutil` executable, so that tests drive the real `Cfgutil`
 * wrapper (argv, process exit status, JSON parsing) end to end: a small `/bin/sh` script that
 * posts its argv to the simulator on 127.0.0.1 (curl) and prints what it answers. A shell and
 * curl start in a few milliseconds, where a Node process would take ten times as long on every
 * poll.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { StationSim } from './sim.js';

const SCRIPT = `#!/bin/sh
# fake cfgutil: forwards its argv to the scripted station (FAKE_CFGUTIL_URL)
if [ -z "$FAKE_CFGUTIL_URL" ]; then echo "fake cfgutil: FAKE_CFGUTIL_URL is not set" >&2; exit 70; fi
out=$(printf '%s\\n' "$@" | curl -sS --fail --data-binary @- "$FAKE_CFGUTIL_URL") || { echo "fake cfgutil: the simulator does not answer" >&2; exit 69; }
code=\${out%%"
"*}
printf '%s\\n' "\${out#*"
"}"
exit "$code"
`;

/** A running fake: the executable's path and the environment it needs. */
export interface FakeCfgutil {
  binary: string;
  url: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Serves `sim` on a free port of 127.0.0.1 and writes the executable into `dir`. */
export async function startFakeCfgutil(sim: StationSim, dir: string): Promise<FakeCfgutil> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const argv = Buffer.concat(chunks).toString('utf8').split('\n');
      if (argv.at(-1) === '') argv.pop();
      sim.run(argv).then(
        (a) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`${a.exitCode}\n${a.stdout}`);
        },
        (e: unknown) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`1\n${JSON.stringify({ Type: 'Error', Message: `simulator: ${String(e)}` })}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  const binary = join(dir, 'fake-cfgutil.sh');
  writeFileSync(binary, SCRIPT);
  chmodSync(binary, 0o755);
  return {
    binary,
    url,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FAKE_CFGUTIL_URL: url },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

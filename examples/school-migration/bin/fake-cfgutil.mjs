#!/usr/bin/env node
// A fake `cfgutil` for the simulated world: it forwards its argv to the world
// (SCHOOLMDM_WORLD_URL) and prints what the world answers, as Apple Configurator's cfgutil
// would with --format JSON. The world decides which iPads are attached and what prepare does.
// node:http rather than fetch: it starts faster, and this runs once per cfgutil command.
import { request } from 'node:http';

const world = process.env.SCHOOLMDM_WORLD_URL;
if (!world) {
  process.stderr.write('fake cfgutil: SCHOOLMDM_WORLD_URL is not set (run `school-migration simulate` first)\n');
  process.exit(70);
}
const body = JSON.stringify({ argv: process.argv.slice(2) });
const req = request(
  new URL('/__world/cfgutil', world),
  { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
  (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      const { stdout, stderr, exitCode } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (stdout) process.stdout.write(`${stdout}\n`);
      if (stderr) process.stderr.write(stderr);
      process.exitCode = exitCode;
    });
  },
);
req.on('error', (e) => {
  process.stderr.write(`fake cfgutil: the world at ${world} does not answer (${e.message})\n`);
  process.exitCode = 69;
});
req.end(body);

#!/usr/bin/env node
// A fake `cfgutil` for the simulated world: it forwards its argv to the world
// (SCHOOLMDM_WORLD_URL) and prints what the world answers, as Apple Configurator's cfgutil
// would with --format JSON. The world decides which iPads are attached and what prepare does.
const world = process.env.SCHOOLMDM_WORLD_URL;
if (!world) {
  process.stderr.write('fake cfgutil: SCHOOLMDM_WORLD_URL is not set (run `school-migration simulate` first)\n');
  process.exit(70);
}
try {
  const res = await fetch(new URL('/__world/cfgutil', world), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ argv: process.argv.slice(2) }),
  });
  const { stdout, stderr, exitCode } = await res.json();
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(stderr);
  process.exitCode = exitCode;
} catch (e) {
  process.stderr.write(`fake cfgutil: the world at ${world} does not answer (${e.message})\n`);
  process.exitCode = 69;
}

/**
 * Every package README starts with its install line and an example that runs as written: this test
 * takes each README's first fenced block marked ` ```ts example `, writes it to a file in
 * `examples/` (a consumer that depends on every package by name) and runs it with tsx in a child
 * process against the *built* packages, the way a user who copied it would. Run `pnpm build` first.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the consumer, so `@schoolmdm/*` resolves through examples/node_modules to each package's dist/;
// one folder per run, so that two runs at once do not share files.
mkdirSync(join(root, 'examples', '.tmp'), { recursive: true });
const workDir = mkdtempSync(join(root, 'examples', '.tmp', 'readme-examples-'));
const bin = (name: string) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
// A tsconfig of its own: examples/tsconfig.json maps `@schoolmdm/*` to the sources, which tsx would follow.
const tsconfig = join(workDir, 'tsconfig.json');

/** The marker of the block a README promises to run: ` ```ts example `. */
const EXAMPLE_FENCE = /^```ts example[ \t]*\n([\s\S]*?)^```[ \t]*$/m;

interface Readme {
  pkg: string;
  name: string;
  text: string;
}

const readmes: Readme[] = readdirSync(join(root, 'packages'))
  .sort()
  .map((pkg) => ({
    pkg,
    name: (JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { name: string }).name,
    text: readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8'),
  }));

function exampleOf({ name, text }: Readme): string {
  const code = EXAMPLE_FENCE.exec(text)?.[1];
  if (code === undefined) throw new Error(`${name}: README has no \`\`\`ts example block`);
  return code;
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking: a synchronous child would stall the vitest worker's own RPC for as
 * long as tsc or an example runs.
 */
function spawnAsync(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, shell: process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function run(file: string): Promise<Ran> {
  return spawnAsync(bin('tsx'), ['--tsconfig', tsconfig, file], join(root, 'examples'), {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  });
}

beforeAll(() => {
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['*.mts'],
    }),
  );
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('package READMEs', () => {
  it('resolve @schoolmdm/* to the built packages from where the examples run', async () => {
    const probe = join(workDir, 'probe.mts');
    writeFileSync(probe, "console.log(import.meta.resolve('@schoolmdm/core'));\n");
    const r = await run(probe);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(/\/packages\/core\/dist\/index\.mjs$/);
  });

  it.each(readmes)('$name starts with its install line', ({ name, text }) => {
    // The title, then (blank lines aside) a shell block whose first command installs the package.
    const afterTitle = text.replace(/^# .*\n/, '').trimStart();
    const block = /^```(?:sh|bash|shell)\n([\s\S]*?)^```/m.exec(afterTitle);
    expect(block?.index, `${name}: the README must open with a \`\`\`sh block after its title`).toBe(0);
    expect(block?.[1]?.split('\n')[0]).toMatch(new RegExp(`^npm install ${name.replace('/', '\\/')}(\\s|$)`));
  });

  it.each(readmes)(
    '$name: the first ```ts example block runs as written against the built package',
    async (readme) => {
      const { pkg, name } = readme;
      const code = exampleOf(readme);
      expect(code).toContain(`from '${name}`);
      expect(code.split('\n').length, `${name}: keep the example short (about ten lines)`).toBeLessThanOrEqual(20);
      const file = join(workDir, `${pkg}.mts`);
      writeFileSync(file, code);
      const r = await run(file);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout.trim(), 'an example shows its result').not.toBe('');
    },
    120_000,
  );

  it('examples type-check as written against the built declarations (strict, no skipLibCheck)', async () => {
    const typed = join(workDir, 'typed');
    mkdirSync(typed, { recursive: true });
    for (const readme of readmes) writeFileSync(join(typed, `${readme.pkg}.mts`), exampleOf(readme));
    writeFileSync(join(typed, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['*.mts'] }));
    const r = await spawnAsync(bin('tsc'), ['-p', join(typed, 'tsconfig.json')], typed);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 150_000);
});

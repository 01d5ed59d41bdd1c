/**
 * Crash and resume: the runner as a child process against the world on a local port, killed
 * with SIGKILL at 20 random points of its work, then resumed → the same final state as an
 * uninterrupted run, and the world's call log shows no assignment or rename sent twice for the
 * same iPad.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../school-migration/src/journal/journal.js';
import { Fleet } from '../../school-migration/src/model/fleet.js';
import { prng } from '../../school-migration/src/world/seed.js';
import { makeProject, type Project, writesPerSerial } from './support.js';

const examples = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(examples, 'school-migration/bin/school-migration.ts');
const DEVICES = 80;
const SEED = 11;

function startRun(config: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, '--config', config, 'run'], {
    cwd: examples,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

const snapshot = (p: Project) =>
  Fleet.replay(Journal.read(join(p.dir, 'state/journal.jsonl')))
    .list()
    .map((d) => ({ serial: d.serial, state: d.state, at: d.at, name: d.name, group: d.group }))
    .sort((a, b) => a.serial.localeCompare(b.serial));

let reference: Project;
let crashed: Project;
const kills: { afterBytes: number; finished: boolean }[] = [];
beforeAll(async () => {
  reference = await makeProject({ devices: DEVICES, seed: SEED });
  const r = await reference.cli('run');
  if (r.code !== 0) throw new Error(r.stderr);

  crashed = await makeProject({ devices: DEVICES, seed: SEED });
  const journal = join(crashed.dir, 'state/journal.jsonl');
  const finalSize = statSync(join(reference.dir, 'state/journal.jsonl')).size;
  const rand = prng(20261203);
  for (let k = 0; k < 20; k++) {
    const size = () => (existsSync(journal) ? statSync(journal).size : 0);
    // Kill points spread over the work: once the journal has grown past the k-th of 20 random
    // points of an uninterrupted run's journal; when it is already past it, after a random
    // delay (during start-up, the reconcile reads or a cfgutil call).
    const target = Math.floor((finalSize * (k + rand())) / 21);
    const alreadyPast = size() >= target;
    const delayMs = Math.floor(rand() * (alreadyPast ? 1500 : 40));
    const { child, exited } = startRun(crashed.config);
    let finished = false;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (child.exitCode !== null) {
          finished = true;
          clearInterval(poll);
          resolve();
        } else if (alreadyPast || size() >= target) {
          clearInterval(poll);
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, delayMs);
        }
      }, 2);
    });
    await exited;
    kills.push({ afterBytes: size(), finished });
  }
  // Resume until nothing changes.
  for (let i = 0; i < 3; i++) {
    const { exited } = startRun(crashed.config);
    const code = await exited;
    if (code !== 0) throw new Error(`resume exited ${code}`);
    if (snapshot(crashed).every((d) => d.state === 'done' || d.state === 'failed')) break;
  }
}, 170_000);
afterAll(async () => {
  await reference?.close();
  await crashed?.close();
});

describe('crash and resume', () => {
  it('was killed at 20 points spread over the work', () => {
    expect(kills).toHaveLength(20);
    expect(kills.filter((k) => !k.finished).length).toBeGreaterThanOrEqual(10);
    expect(new Set(kills.map((k) => k.afterBytes)).size).toBeGreaterThanOrEqual(5);
  });

  it('reaches the same final state as an uninterrupted run', () => {
    const want = snapshot(reference);
    expect(want.filter((d) => d.state === 'done')).toHaveLength(DEVICES - 1);
    expect(snapshot(crashed)).toEqual(want);
  });

  it('never sent an assignment or a rename twice for the same iPad', () => {
    const { assign, rename } = writesPerSerial(crashed.world);
    const twice = [...assign, ...rename].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(assign.size).toBeGreaterThan(DEVICES / 2);
    expect(rename.size).toBeGreaterThan(DEVICES / 2);
  });

  it('kept a readable journal through every kill (a torn last line is cut, never misread)', () => {
    const lines = Journal.read(join(crashed.dir, 'state/journal.jsonl'));
    // Some kills land before a run writes its first line (start-up); most land inside the work.
    expect(lines.filter((l) => l.t === 'run' && l.event === 'start').length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.t === 'run' && l.event === 'end').length).toBeLessThan(
      lines.filter((l) => l.t === 'run' && l.event === 'start').length,
    );
  });
});

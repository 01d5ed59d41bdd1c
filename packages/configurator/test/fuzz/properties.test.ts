/**
 * The fuzz targets (`fuzz/targets.ts`) as fast-check properties: a few thousand cases in
 * `pnpm test`; `pnpm fuzz` runs 100,000 per target. Each case must return or throw one of the
 * package's typed errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targets } from '../../fuzz/targets.js';

const RUNS = 600;

describe('fuzz targets as properties', () => {
  expect(targets.length).toBe(5);
  it.each(targets.map((t) => [t.name, t] as const))(
    '%s',
    async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(target.arbitrary, async (input) => {
          try {
            await target.run(input);
          } catch (e) {
            if (!target.expected(e)) throw e;
          }
        }),
        { numRuns: RUNS, seed: 20261203 },
      );
    },
    120_000,
  );
});

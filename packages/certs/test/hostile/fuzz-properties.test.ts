/**
 * The `pnpm fuzz` targets of certs as fast-check properties in `pnpm test`: a thousand cases
 * each (six thousand in all) on every run, seeded with openssl-made files; `pnpm fuzz` runs
 * 100,000 each with a per-case time limit.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { targets } from '../../fuzz/certs.fuzz.js';

describe('certs fuzz targets as properties', () => {
  it.each(targets.map((t) => [t.name, t] as const))('%s: a result or a typed error', async (_name, target) => {
    await fc.assert(
      fc.asyncProperty(target.arbitrary, async (input) => {
        try {
          await target.run(input);
        } catch (err) {
          if (!target.expected(err)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

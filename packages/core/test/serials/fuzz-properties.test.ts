/**
 * The `pnpm fuzz` targets of core (serial CSV in memory and streamed, PEM, Base64) as fast-check
 * properties in `pnpm test`: a thousand cases each on every run.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { targets } from '../../fuzz/core.fuzz.js';

describe('core fuzz targets as properties', () => {
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

/**
 * "Regenerating from a newer schema is one command" stays honest only if the committed
 * generated files are exactly what the vendored schema produces. This regenerates in memory
 * and compares byte for byte.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILES, generate } from '../../scripts/lib/generate.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('committed generated files', () => {
  const result = generate(`${packageRoot}schema`);

  it.each(GENERATED_FILES)('%s matches what schema/ generates (run `pnpm --filter @schoolmdm/configurator generate`)', (rel) => {
    const committed = readFileSync(`${packageRoot}${rel}`, 'utf8');
    expect(committed === result.files[rel]).toBe(true);
  });

  it('records the pinned upstream commit and keeps Apple’s copyright notice in every header', () => {
    expect(result.source.commit).toBe('b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f');
    for (const rel of GENERATED_FILES) {
      const head = result.files[rel].split('\n').slice(0, 5).join('\n');
      expect(head).toContain('do not edit');
      expect(head).toContain('b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f');
      expect(head).toContain('Copyright © 2022-2024 Apple Inc.');
    }
  });

  it('is deterministic: a second run gives identical output', () => {
    const again = generate(`${packageRoot}schema`);
    for (const rel of GENERATED_FILES) expect(again.files[rel] === result.files[rel]).toBe(true);
  });

  it('understands every field of the pinned schema', () => {
    expect(result.ignoredFields).toEqual([]);
  });
});

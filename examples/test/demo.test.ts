/**
 * Runs `pnpm demo`'s program against the built packages (as a user would) and checks what it
 * prints: every step completed, the batch reported its one failure, and no secret was printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(examples, '..', 'node_modules', '.bin', 'tsx');

describe('pnpm demo', () => {
  const output = execFileSync(tsx, ['src/demo.ts'], { cwd: examples, encoding: 'utf8', timeout: 120_000 });

  it('reads the Excel export and writes the release request', () => {
    expect(output).toContain('serial column "Numéro de série"');
    expect(output).toMatch(/line 6 \[duplicate\] DMPXK1AAQ1GC already appears on line 3/);
    expect(output).toMatch(/line 8 \[invalid\]/);
    const csv = readFileSync(join(examples, 'out', 'release-request.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('Serial Number');
    expect(csv).toContain('\r\nDMPXK1AAQ1GD\r\n');
  });

  it('matches, decrypts and signs', () => {
    expect(output).toContain('made for our certificate: true');
    expect(output).toContain('signature valid: true');
    expect(existsSync(join(examples, 'out', 'wifi.mobileconfig'))).toBe(true);
  });

  it('pages through a 429 and reports the one failing device of the batch', () => {
    expect(output).toContain('listed 6 devices');
    expect(output).toContain('renamed 5, failed 1');
    expect(output).toContain('F9FXK2BBQ1GE: POST');
  });

  it('prints no secret', () => {
    for (const secret of [
      'CS_demo_consumer_secret_value',
      'AT_demo_access_token_value',
      'AS_demo_access_secret_value',
      'demo-psk-not-a-secret',
      'PRIVATE KEY',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});

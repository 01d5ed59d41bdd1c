import { describe, expect, it } from 'vitest';
import { createLogger, type LogFields, type Logger, silentLogger } from '../../src/index.js';

function recorder() {
  const lines: [string, string, LogFields | undefined][] = [];
  const logger: Logger = {
    error: (m, f) => lines.push(['error', m, f]),
    warn: (m, f) => lines.push(['warn', m, f]),
    info: (m, f) => lines.push(['info', m, f]),
    debug: (m, f) => lines.push(['debug', m, f]),
  };
  return { lines, logger };
}

describe('createLogger', () => {
  it('is silent without a logger or with level off', () => {
    expect(createLogger(undefined)).toBe(silentLogger);
    expect(createLogger(recorder().logger, 'off')).toBe(silentLogger);
  });

  it('passes lines at or above the level', () => {
    const { lines, logger } = recorder();
    const log = createLogger(logger, 'warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l[0])).toEqual(['warn', 'error']);
  });

  it('redacts messages and fields before the logger sees them', () => {
    const { lines, logger } = recorder();
    const log = createLogger(logger);
    log.debug('sending Authorization: Bearer SECRET1', {
      url: 'https://x.test/t?client_assertion=SECRET2',
      headers: new Headers({ cookie: 'a=SECRET3', accept: 'json' }),
      body: { password: 'SECRET4', email: 'a@b.test' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/SECRET\d/);
    expect(lines[0]?.[2]).toMatchObject({ body: { email: 'a@b.test' }, headers: { accept: 'json' } });
  });
});

/** `startTestServer` of `@schoolmdm/core/testing` (no msw here: requests go to a real socket). */
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/testing/index.js';

describe('startTestServer', () => {
  it('records requests, answers 500 when the handler throws, and closes', async () => {
    const s = await startTestServer((req, res) => {
      if (req.url === '/boom') throw new Error('handler bug');
      res.end(`echo:${req.body}`);
    });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${s.url}/echo?q=1`, { method: 'POST', body: 'hello', headers: { 'x-a': 'b' } });
    expect(await ok.text()).toBe('echo:hello');
    const boom = await fetch(`${s.url}/boom`);
    expect(boom.status).toBe(500);
    expect(s.requests.map((r) => [r.method, r.url, r.body, r.headers['x-a']])).toEqual([
      ['POST', '/echo?q=1', 'hello', 'b'],
      ['GET', '/boom', '', undefined],
    ]);
    await s.close();
    await expect(fetch(`${s.url}/echo`)).rejects.toBeInstanceOf(TypeError);
  });
});

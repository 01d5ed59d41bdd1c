/**
 * How long a run takes under the services' rate limits, from the calls it will make. Apple
 * documents no ASM limits; the observed ones (≈20 GET/min, ≈10 POST/h, `ASM_REQUEST_BUDGETS`
 * of `@schoolmdm/asm`) make activities of 1,000 serials the only way to move thousands of iPads
 * in hours rather than weeks.
 */
import { ASM_REQUEST_BUDGETS } from '@schoolmdm/asm';
import type { PlannedCall } from '../steps/types.js';

/** Lower bound of the time `calls` take under the ASM limits (ms); Mosyle publishes no limits. */
export function estimateServiceTime(calls: readonly PlannedCall[]): { ms: number; why: string } {
  const asm = calls.filter((c) => c.service === 'asm');
  const posts = asm.filter((c) => c.call.startsWith('POST')).reduce((n, c) => n + c.count, 0);
  const gets = asm.filter((c) => !c.call.startsWith('POST')).reduce((n, c) => n + c.count, 0);
  const b = ASM_REQUEST_BUDGETS.asmApi;
  const postMs = Math.max(0, Math.ceil(posts / b.post.requests) - 1) * b.post.perMs;
  const getMs = Math.max(0, Math.ceil(gets / b.get.requests) - 1) * b.get.perMs;
  const ms = Math.max(postMs, getMs);
  return {
    ms,
    why: `${posts} ASM POST(s) at ${b.post.requests}/h and ${gets} GET(s) at ${b.get.requests}/min`,
  };
}

/** A scripted `fetch` double that records every call, for transport unit tests. */
import type { FetchInit, FetchLike } from '../../src/index.js';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export type Step = Response | Error | ((call: RecordedCall) => Response | Error | Promise<Response | Error>);

/** Answers call n with step n (the last step repeats); errors are thrown as fetch rejections. */
export function scriptedFetch(...steps: Step[]): FetchLike & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fn = async (url: string, init: FetchInit): Promise<Response> => {
    const call: RecordedCall = {
      url,
      method: String(init.method),
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error('scriptedFetch: no steps');
    const result = typeof step === 'function' ? await step(call) : step;
    if (result instanceof Error) throw result;
    // A Response body can be read once: hand out a copy.
    return result.clone();
  };
  return Object.assign(fn, { calls });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function textResponse(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers });
}

/** undici's shape of a network failure: TypeError('fetch failed') with the system error as cause. */
export function fetchFailed(code: string, message = `connect ${code} 127.0.0.1:1`): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/** A fetch that never answers until its signal aborts (for timeout and abort tests). */
export function hangingStep(): Step {
  return (call) =>
    new Promise<Error>((resolve) => {
      const signal = call.signal;
      if (!signal) return;
      if (signal.aborted) resolve(new DOMException('aborted', 'AbortError'));
      signal.addEventListener('abort', () => resolve(new DOMException('This operation was aborted', 'AbortError')), {
        once: true,
      });
    });
}

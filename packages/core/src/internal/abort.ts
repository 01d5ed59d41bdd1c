/**
 * One `abort` listener per signal, whatever the number of waiters on it.
 *
 * Every concurrent request, token wait and backoff sleep on one caller signal used to add its
 * own listener, so an eleventh concurrent request made Node print a false
 * `MaxListenersExceededWarning`. Here the first subscriber adds the single listener, the last
 * one to leave removes it, so no listener outlives the calls. `AbortSignal.any` is not used:
 * on Node 20 it retains memory per call on a long-lived signal
 * (https://github.com/nodejs/node/issues/54614).
 */

type Callback = () => void;

interface Entry {
  callbacks: Set<Callback>;
  listener: () => void;
}

const entries = new WeakMap<AbortSignal, Entry>();

/**
 * Calls `callback` once when `signal` aborts. Returns the function that unsubscribes (call it
 * when the wait is over; calling it twice is harmless). Does nothing for an absent signal.
 */
export function onAbort(signal: AbortSignal | undefined, callback: Callback): () => void {
  if (!signal) return noop;
  let entry = entries.get(signal);
  if (!entry) {
    const callbacks = new Set<Callback>();
    const created: Entry = {
      callbacks,
      listener: () => {
        entries.delete(signal);
        for (const cb of [...callbacks]) cb();
        callbacks.clear();
      },
    };
    entry = created;
    entries.set(signal, created);
    signal.addEventListener('abort', created.listener, { once: true });
  }
  const current = entry;
  // A distinct wrapper per subscription, so the same callback subscribed twice stays two.
  const subscription: Callback = () => callback();
  current.callbacks.add(subscription);
  return () => {
    if (!current.callbacks.delete(subscription)) return;
    if (current.callbacks.size === 0 && entries.get(signal) === current) {
      entries.delete(signal);
      signal.removeEventListener('abort', current.listener);
    }
  };
}

function noop(): void {}

/**
 * A read-only record built on first use. Not part of the public API.
 *
 * Why: `PAYLOAD_SCHEMAS` is ~380 KB of object literals. As a top-level constant it was parsed,
 * compiled and built on every `import` of the package, even by code that only reads or writes
 * plists (issue #16). Inside a function V8 only pre-parses it until the first call; the proxy
 * below makes that call on the first property access, so the record behaves like a plain
 * object (`in`, `Object.keys`, spread, `JSON.stringify`) for every caller.
 */
export function lazyRecord<T extends object>(build: () => T): Readonly<T> {
  let value: T | undefined;
  const load = (): T => {
    if (value === undefined) value = Object.freeze(build());
    return value;
  };
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(load(), key),
    has: (_t, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      // A proxy may only report a property as non-configurable if its target has it.
      return d === undefined ? undefined : { ...d, configurable: true };
    },
    getPrototypeOf: () => Object.prototype,
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

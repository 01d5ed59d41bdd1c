/**
 * Input generators shared by every package's fuzz targets (`packages/<pkg>/fuzz`, run by
 * `scripts/fuzz.ts` and by the property tests): mutations of seed files (bit flips, byte sets,
 * inserts, deletes, truncation, duplication), DER-shaped TLV trees (tags and lengths that parsers
 * must check), and Base64 of either.
 */
import fc from 'fast-check';

/**
 * What a `*.fuzz.ts` file exports in `targets`. Kept here, beside the input
 * generators, so target files import it without loading the runner.
 */
export interface FuzzTarget {
  /** Unique, e.g. `certs.inspectCertificate`; used for `--target` and the failures folder. */
  name: string;
  /** Inputs: random bytes, mutations of real or openssl-made files, grammar-built text. */
  arbitrary: fc.Arbitrary<Uint8Array | string>;
  /** Calls the parser; may return a promise. */
  run(input: Uint8Array | string): unknown | Promise<unknown>;
  /** True when a thrown error is an expected, typed rejection of the input. */
  expected(err: unknown): boolean;
}

/** How {@link mutations} changes bytes. */
export interface MutationOptions {
  /** Bytes that `set` and `insert` write. @defaultValue any byte */
  bytes?: fc.Arbitrary<number>;
  /** Mask a `flip` XORs in; by default one bit, chosen by the drawn byte. */
  flipMask?: number;
}

/** Seeds with up to 8 mutations each. */
export function mutations(
  seeds: () => ReadonlyArray<Uint8Array | string>,
  options: MutationOptions = {},
): fc.Arbitrary<Uint8Array> {
  const op = fc.record({
    kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate', 'duplicate'),
    at: fc.nat(),
    byte: options.bytes ?? fc.integer({ min: 0, max: 255 }),
    len: fc.integer({ min: 1, max: 64 }),
  });
  return fc.tuple(fc.nat(), fc.array(op, { minLength: 1, maxLength: 8 })).map(([which, ops]) => {
    const all = seeds();
    if (all.length === 0) return new Uint8Array();
    const seed = all[which % all.length] as Uint8Array | string;
    let b = Buffer.from(typeof seed === 'string' ? Buffer.from(seed, 'utf8') : seed);
    for (const o of ops) {
      const at = b.length === 0 ? 0 : o.at % b.length;
      if (o.kind === 'flip') b[at] = (b[at] ?? 0) ^ (options.flipMask ?? 1 << (o.byte % 8));
      else if (o.kind === 'set') b[at] = o.byte;
      else if (o.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([o.byte]), b.subarray(at)]);
      else if (o.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + o.len)]);
      else if (o.kind === 'truncate') b = b.subarray(0, at);
      else b = Buffer.concat([b.subarray(0, at + o.len), b.subarray(at)]);
    }
    return new Uint8Array(b);
  });
}

/** A DER-like TLV tree: any tag class, constructed or not, short/long/indefinite/wrong lengths. */
export function derTrees(): fc.Arbitrary<Uint8Array> {
  const leaf = fc.record({
    tag: fc.oneof(
      fc.constantFrom(0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1c, 0x1e, 0x80, 0xa0),
      fc.integer({ min: 0, max: 255 }),
    ),
    body: fc.uint8Array({ maxLength: 12 }),
  });
  const tree: fc.Arbitrary<Uint8Array> = fc.letrec<{ node: Uint8Array }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf.map(({ tag, body }) => tlv(tag, body)),
      fc
        .tuple(
          fc.constantFrom(0x30, 0x31, 0xa0, 0xa1, 0x24, 0x2c, 0x3c),
          fc.array(tie('node'), { maxLength: 4 }),
          fc.constantFrom('exact', 'indefinite', 'short', 'long'),
        )
        .map(([tag, kids, mode]) => {
          const body = Buffer.concat(kids);
          if (mode === 'indefinite')
            return new Uint8Array(Buffer.concat([Buffer.from([tag, 0x80]), body, Buffer.from([0, 0])]));
          const t = tlv(tag, body);
          if (mode === 'short' && t.length > 2) return t.subarray(0, t.length - 1);
          if (mode === 'long') return new Uint8Array(Buffer.concat([t, Buffer.from([0])]));
          return t;
        }),
    ),
  })).node;
  return tree;
}

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([tag, ...len]), body]));
}

/** Base64 of an arbitrary (what a user pastes instead of the file). */
export function base64Of(arb: fc.Arbitrary<Uint8Array>): fc.Arbitrary<string> {
  return arb.map((b) => Buffer.from(b).toString('base64'));
}

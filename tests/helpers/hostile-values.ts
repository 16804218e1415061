import type { Prng } from './prng';

/** Keys that have tripped JavaScript servers before: prototype pollution and shadowed builtins. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '\u0000', 'sectionId', 'ready', 'paused', 'focus', 'hash', 'date', 'note'];

const NASTY_STRINGS = ['', ' ', 'null', 'undefined', 'NaN', '0', '-1', '1e309', '../../etc/passwd', '%00', '\u0000', '\ud800', '😀', '<script>', "'; DROP TABLE rooms;--", 'arrival', '2027-02-31', 'a'.repeat(64), 'f'.repeat(64)];

/** JSON text nested `depth` deep, built as a string: JSON.stringify itself overflows near 10,000 levels. */
export const deepJson = (depth: number, asObject = false): string => (asObject ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`);

/** Arrays (or objects) nested `depth` deep around `inner`, built iteratively. */
export function nested(depth: number, inner: unknown = null, asObject = false): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

/**
 * A random JSON-ish value: wrong types, nasty strings and keys (own `__proto__` properties made
 * with JSON.parse), now and then huge strings, deep nesting or binary. `maxString` bounds the
 * biggest string, so a caller can stay under (or go over) a size cap on purpose.
 */
export function randomValue(rng: Prng, opts: { depth?: number; maxString?: number; binary?: boolean } = {}): unknown {
  const depth = opts.depth ?? 3;
  const maxString = opts.maxString ?? 1000;
  switch (rng.int(depth > 0 ? 14 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, 1e-300, rng.int(1000)]);
    case 3:
      return rng.pick(NASTY_STRINGS);
    case 4:
      return 'x'.repeat(rng.chance(0.1) ? maxString : rng.int(Math.min(maxString, 200)));
    case 5:
      return String.fromCharCode(...Array.from({ length: rng.int(20) }, () => rng.int(0x10000)));
    case 6:
      return opts.binary ? Buffer.from(rng.bytes(rng.int(64))) : rng.pick(NASTY_STRINGS);
    case 7:
      return nested(rng.chance(0.5) ? 20 + rng.int(200) : 500 + rng.int(500), rng.pick([null, 'x', {}]), rng.chance(0.5));
    case 8:
      // an own `__proto__` key, as JSON.parse makes it, next to plausible fields
      return JSON.parse(`{"__proto__":{"polluted":true,"ready":true},"sectionId":"arrival","constructor":{"prototype":{"polluted":1}}}`) as unknown;
    case 9:
    case 10: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) {
        // defineProperty: an own `__proto__` key, as it arrives after JSON.parse
        Object.defineProperty(out, rng.pick(NASTY_KEYS), { value: randomValue(rng, { ...opts, depth: depth - 1 }), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, { ...opts, depth: depth - 1 }));
  }
}

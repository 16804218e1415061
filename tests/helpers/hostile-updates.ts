import * as encoding from 'lib0/encoding';
import { craft } from './yjs-corpus';

/**
 * Hand-made Yjs v1 updates that yjs 13.6 reads but mishandles (throws half-way, overflows the
 * stack, loops or allocates far beyond their size), each with the validator's expected reason.
 * Shared by the validator's unit tests and the endpoint fuzz test.
 */

const W = encoding.writeVarUint;
const S = encoding.writeVarString;
const U8 = encoding.writeUint8;

export interface HostileUpdate {
  name: string;
  update: Uint8Array;
  reason: RegExp;
}

/** One client (id 1, clock 0) with the given structs written by `body`, and an empty delete set. */
export const oneClient = (structs: number, body: (e: encoding.Encoder) => void, client = 1, clock = 0) =>
  craft((e) => {
    W(e, 1);
    W(e, structs);
    W(e, client);
    W(e, clock);
    body(e);
    W(e, 0);
  });

/** A chain of `depth` maps, each in the previous one (client 1, clocks `from`…). */
export function nestedMaps(depth: number, from = 0, parent: 'root' | [number, number] = 'root'): Uint8Array {
  return oneClient(
    depth,
    (e) => {
      for (let i = 0; i < depth; i++) {
        U8(e, 7 | 0x20);
        if (i === 0 && parent === 'root') {
          W(e, 1);
          S(e, 'm');
        } else {
          W(e, 0);
          W(e, i === 0 ? (parent as [number, number])[0] : 1);
          W(e, i === 0 ? (parent as [number, number])[1] : from + i - 1);
        }
        S(e, 'k');
        W(e, 1); // YMap
      }
    },
    1,
    from,
  );
}

export const HOSTILE_UPDATES: HostileUpdate[] = [
  { name: 'empty update (yjs < 13.5.45 looped forever)', update: new Uint8Array(), reason: /unexpected end/ },
  // yjs allocates `new Array(numberOfStructs)` before reading a struct: below 2^25 V8 fills it,
  // so 7 bytes cost ~1.3 s of CPU and 130 MB
  { name: '2^25 structs announced in 7 bytes', update: Uint8Array.from([0x01, 0x80, 0x80, 0x80, 0x10, 0x00, 0x00]), reason: /struct count/ },
  { name: '2^40 structs (RangeError in yjs)', update: craft((e) => [1, 2 ** 40, 1, 0].forEach((n) => W(e, n))), reason: /struct count/ },
  { name: '2^32 clients', update: craft((e) => W(e, 2 ** 32)), reason: /client count/ },
  { name: 'a varint past 2^53', update: Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), reason: /out of range|too long/ },
  { name: 'a zero-padded varint', update: Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]), reason: /too long/ },
  { name: 'unknown content ref 11', update: oneClient(1, (e) => (U8(e, 11), W(e, 1), S(e, 'x'))), reason: /unknown content ref/ },
  { name: 'unknown type ref', update: oneClient(1, (e) => (U8(e, 7), W(e, 1), S(e, 'x'), W(e, 99))), reason: /unknown type ref/ },
  { name: 'invalid JSON content', update: oneClient(1, (e) => (U8(e, 2), W(e, 1), S(e, 'x'), W(e, 1), S(e, '{bad'))), reason: /invalid JSON/ },
  { name: 'invalid UTF-8 in a string', update: oneClient(1, (e) => (U8(e, 4), W(e, 1), S(e, 'x'), W(e, 2), U8(e, 0xc3), U8(e, 0x28))), reason: /UTF-8/ },
  { name: 'a bad Any tag', update: oneClient(1, (e) => (U8(e, 8), W(e, 1), S(e, 'x'), W(e, 1), U8(e, 3))), reason: /unknown value tag/ },
  // yjs: TypeError deep inside getItemCleanEnd, after earlier structs of the update were integrated
  { name: 'an origin at a later clock of the same client', update: oneClient(2, (e) => (U8(e, 4), W(e, 1), S(e, 't'), S(e, 'hello'), U8(e, 4 | 0x80), W(e, 1), W(e, 99), S(e, 'x'))), reason: /origin after the item/ },
  { name: 'a parent at a later clock of the same client', update: oneClient(1, (e) => (U8(e, 4), W(e, 0), W(e, 1), W(e, 50), S(e, 'x'))), reason: /parent after the item/ },
  { name: 'a right origin pointing at the item itself', update: oneClient(1, (e) => (U8(e, 4 | 0x40), W(e, 1), W(e, 0), S(e, 'x'))), reason: /right origin after the item/ },
  { name: 'subdocument options null (TypeError in yjs)', update: oneClient(1, (e) => (U8(e, 9 | 0x20), W(e, 1), S(e, 'm'), S(e, 'k'), S(e, 'guid'), U8(e, 126))), reason: /not an object/ },
  { name: 'Any nested 200,000 deep (stack overflow in yjs)', update: oneClient(1, (e) => (U8(e, 8), W(e, 1), S(e, 'x'), W(e, 1), Array.from({ length: 200_000 }, () => (U8(e, 117), W(e, 1))), U8(e, 126))), reason: /nested too deeply/ },
  { name: 'Any nested 101 deep', update: oneClient(1, (e) => (U8(e, 8), W(e, 1), S(e, 'x'), W(e, 1), Array.from({ length: 101 }, () => (U8(e, 117), W(e, 1))), U8(e, 126))), reason: /nested too deeply/ },
  { name: 'an embed of deeply nested JSON', update: oneClient(1, (e) => (U8(e, 5), W(e, 1), S(e, 't'), S(e, '['.repeat(5000) + ']'.repeat(5000)))), reason: /nested too deeply/ },
  // 16 KB: deleting the outer map then overflows the stack in yjs (and in every client)
  { name: 'maps nested 2000 deep', update: nestedMaps(2000), reason: /types nested too deeply/ },
  { name: '65 root types (encoding scans all root names per item: 50k take 20 s)', update: oneClient(65, (e) => Array.from({ length: 65 }, (_, i) => (U8(e, 1), W(e, 1), S(e, `k${i}`), W(e, 1)))), reason: /too many root types/ },
  // each subdocument is a whole Y.Doc: 140k of them (1 MiB) take 9 s and 400 MB
  { name: '17 subdocuments', update: oneClient(17, (e) => Array.from({ length: 17 }, () => (U8(e, 9), W(e, 1), S(e, 'a'), S(e, ''), U8(e, 118), W(e, 0)))), reason: /too many subdocuments/ },
  { name: 'a struct past clock 2^53', update: oneClient(1, (e) => (U8(e, 0), W(e, 100)), 1, 2 ** 53 - 2), reason: /clock out of range/ },
  { name: 'an empty string item', update: oneClient(1, (e) => (U8(e, 4), W(e, 1), S(e, 't'), S(e, ''))), reason: /empty item/ },
  { name: 'a GC struct with flags', update: oneClient(1, (e) => (U8(e, 0x80), W(e, 1))), reason: /flags/ },
  { name: 'bad parent info', update: oneClient(1, (e) => (U8(e, 4), W(e, 7), S(e, 'x'))), reason: /parent info/ },
  { name: 'the same client twice', update: craft((e) => [2, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0].forEach((n) => W(e, n))), reason: /client listed twice/ },
  { name: 'a delete set announcing 2^32 ranges', update: craft((e) => [0, 1, 1, 2 ** 32, 0, 0].forEach((n) => W(e, n))), reason: /delete range count/ },
  { name: 'an empty delete range', update: craft((e) => [0, 1, 1, 1, 5, 0].forEach((n) => W(e, n))), reason: /empty delete range/ },
  { name: 'trailing bytes', update: Uint8Array.from([0, 0, 7]), reason: /trailing/ },
];

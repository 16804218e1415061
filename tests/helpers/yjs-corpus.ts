import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Prng } from './prng';

/** A doc with a fixed client id, so that corpora (and the fuzz runs built on them) are reproducible. */
function docWithClient(clientID: number, opts: { gc?: boolean } = {}): Y.Doc {
  const doc = new Y.Doc(opts);
  doc.clientID = clientID;
  return doc;
}

/**
 * Real v1 updates produced by Y.Doc edits: maps, arrays, text with formatting and embeds, nested
 * types, XML elements and hooks, deletes, a subdocument, binary and nested Any values; single
 * transactions, full states, merged and diffed updates, and a second client's edits.
 */
export function realUpdates(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const a = docWithClient(101);
  const b = docWithClient(102);
  a.on('update', (u: Uint8Array) => {
    out.push(u);
    Y.applyUpdate(b, u);
  });
  const answers = a.getMap('answers');
  answers.set('impact', { rating: 'yes', note: 'hi ✓', nested: { deep: [1, 2, { z: null }] }, n: 1.5, big: 2 ** 40, neg: -7, t: true, f: false });
  answers.set('bin', new Uint8Array([1, 2, 3]));
  answers.set('big', BigInt(2) ** BigInt(60));
  const notes = a.getText('notes');
  notes.insert(0, 'Hello 👋 world');
  notes.format(0, 5, { bold: true });
  notes.insertEmbed(3, { image: 'x.png' });
  notes.delete(2, 3);
  const history = a.getArray<unknown>('history');
  history.push([1, 'two', { three: 3 }]);
  const inner = new Y.Map<unknown>();
  history.push([inner]);
  inner.set('k', 'v');
  const innerArray = new Y.Array<unknown>();
  inner.set('arr', innerArray);
  innerArray.push(['a', 'b']);
  const innerText = new Y.Text();
  innerArray.insert(1, [innerText]);
  innerText.insert(0, 'nested text');
  history.delete(0, 1);
  const xml = a.getXmlFragment('xml');
  const paragraph = new Y.XmlElement('p');
  xml.push([paragraph]);
  paragraph.setAttribute('class', 'c');
  const xmlText = new Y.XmlText();
  paragraph.push([xmlText]);
  xmlText.insert(0, 'para');
  xmlText.format(0, 2, { em: {} });
  const hook = new Y.XmlHook('hook');
  xml.push([hook as unknown as Y.XmlElement]); // the typings omit hooks
  hook.set('h', 1);
  answers.set('sub', new Y.Doc({ guid: 'subdoc-1' }));
  answers.delete('bin');
  a.transact(() => {
    for (let i = 0; i < 50; i++) notes.insert(i % notes.length, String.fromCharCode(65 + (i % 26)));
  });
  notes.delete(0, 10);
  const deleteInner = docWithClient(103, { gc: true });
  const list = deleteInner.getArray<unknown>('a');
  const doomed = new Y.Map<unknown>();
  list.push([doomed]);
  doomed.set('q', new Y.Array());
  list.delete(0, 1);

  const c = docWithClient(104);
  Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
  c.on('update', (u: Uint8Array) => out.push(u));
  c.getText('notes').insert(3, 'from c');
  c.getMap('answers').set('impact', { rating: 'no' });
  c.getArray('history').insert(0, ['c']);

  out.push(
    Y.encodeStateAsUpdate(a),
    Y.encodeStateAsUpdate(c),
    Y.encodeStateAsUpdate(deleteInner),
    Y.mergeUpdates([out[0]!, out[5]!, out[9]!]), // has gaps: skip structs
    Y.diffUpdate(Y.encodeStateAsUpdate(c), Y.encodeStateVector(b)),
    Y.encodeStateAsUpdate(new Y.Doc()),
  );
  return out;
}

/** Real awareness updates as y-protocols encodes them. */
export function realAwarenessUpdates(): Uint8Array[] {
  const doc = docWithClient(201);
  const awareness = new Awareness(doc);
  const out = [encodeAwarenessUpdate(awareness, [doc.clientID])];
  awareness.setLocalState({ user: { name: 'Alex', color: '#f0a' }, cursor: { anchor: 3, head: 5 } });
  out.push(encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.setLocalState(null);
  out.push(encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.destroy();
  return out;
}

/** Builds bytes with lib0's encoder, for hand-made (mostly malformed) updates. */
export function craft(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const varUint = (n: number) => craft((e) => encoding.writeVarUint(e, n));
const HUGE = [2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 1e6, 255, 128, 127, 0];
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 116, 117, 118, 119, 125, 7, 9, 10, 0x84, 0x44, 0x24, 0xc4];

/**
 * One to three random mutations of `bytes`: bit flips, byte overwrites, truncations (mid-varint
 * too), huge varints, inserted garbage, cut ranges, interesting bytes, splices from `donors`.
 */
export function mutate(rng: Prng, bytes: Uint8Array, donors: readonly Uint8Array[]): Uint8Array {
  let u = Uint8Array.from(bytes);
  const splice = (at: number, remove: number, insert: Uint8Array) => {
    const out = new Uint8Array(u.length - remove + insert.length);
    out.set(u.subarray(0, at));
    out.set(insert, at);
    out.set(u.subarray(at + remove), at + insert.length);
    u = out;
  };
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const at = rng.int(u.length + 1);
    const inside = Math.min(at, u.length - 1);
    switch (rng.int(8)) {
      case 0:
        if (u.length) u[inside] = (u[inside] as number) ^ (1 << rng.int(8));
        break;
      case 1:
        if (u.length) u[inside] = rng.int(256);
        break;
      case 2:
        u = u.slice(0, at);
        break;
      case 3:
        splice(inside < 0 ? 0 : inside, u.length ? 1 : 0, varUint(rng.pick(HUGE)));
        break;
      case 4:
        splice(at, 0, rng.bytes(1 + rng.int(8)));
        break;
      case 5:
        splice(Math.min(at, inside < 0 ? 0 : inside), rng.int(Math.max(1, u.length - at)), new Uint8Array());
        break;
      case 6:
        if (u.length) u[inside] = rng.pick(INTERESTING);
        break;
      default: {
        const donor = rng.pick(donors);
        const from = rng.int(donor.length);
        splice(at, 0, donor.subarray(from, from + 1 + rng.int(24)));
      }
    }
  }
  return u;
}

const W = encoding.writeVarUint;
const S = encoding.writeVarString;
const U8 = encoding.writeUint8;
const ROOT_NAMES = ['notes', 'answers', 'agreementText', 'sections', 'm', '__proto__', 'constructor', ''];
const JSON_TEXTS = ['undefined', 'null', '1', '"s"', '{"a":1}', '[', '{bad', '[[[[[[[[[[]]]]]]]]]]', '{"__proto__":{"x":1}}', ''];

/** A random but plausibly shaped v1 update: real struct layouts with random fields, counts and refs. */
export function randomUpdate(rng: Prng): Uint8Array {
  const small = (n: number) => (rng.chance(0.03) ? rng.pick(HUGE) : rng.int(n));
  const id = (e: encoding.Encoder) => (W(e, rng.chance(0.8) ? rng.int(4) : small(2 ** 32)), W(e, small(40)));
  return craft((e) => {
    const clients = rng.chance(0.03) ? rng.pick(HUGE) : rng.int(4);
    W(e, clients);
    for (let c = 0; c < Math.min(clients, 4); c++) {
      const structs = rng.chance(0.03) ? rng.pick(HUGE) : 1 + rng.int(6);
      W(e, structs);
      W(e, rng.chance(0.8) ? rng.int(4) : small(2 ** 32));
      W(e, rng.chance(0.6) ? 0 : small(50));
      for (let s = 0; s < Math.min(structs, 6); s++) {
        const ref = rng.chance(0.95) ? rng.int(11) : rng.int(32);
        const flags = rng.pick([0, 0, 0x80, 0x40, 0x20, 0xc0, 0xa0, 0x60, 0xe0]);
        if (ref === 0 || ref === 10) {
          U8(e, rng.chance(0.9) ? ref : ref | flags);
          W(e, small(20));
          continue;
        }
        U8(e, ref | flags);
        if (flags & 0x80) id(e);
        if (flags & 0x40) id(e);
        if (!(flags & 0xc0)) {
          const parentInfo = rng.chance(0.95) ? rng.int(2) : small(10);
          W(e, parentInfo);
          if (parentInfo === 1) S(e, rng.pick(ROOT_NAMES));
          else id(e);
          if (flags & 0x20) S(e, rng.pick(['k', '__proto__', 'constructor', '']));
        }
        writeRandomContent(e, rng, ref, small);
      }
    }
    const dsClients = rng.chance(0.03) ? rng.pick(HUGE) : rng.int(3);
    W(e, dsClients);
    for (let c = 0; c < Math.min(dsClients, 3); c++) {
      W(e, rng.int(4));
      const ranges = rng.chance(0.03) ? rng.pick(HUGE) : rng.int(4);
      W(e, ranges);
      for (let r = 0; r < Math.min(ranges, 4); r++) {
        W(e, small(40));
        W(e, small(10));
      }
    }
  });
}

function writeRandomContent(e: encoding.Encoder, rng: Prng, ref: number, small: (n: number) => number): void {
  switch (ref) {
    case 1:
      return W(e, small(10));
    case 2: {
      const n = small(3);
      W(e, n);
      for (let i = 0; i < Math.min(n, 3); i++) S(e, rng.pick(JSON_TEXTS));
      return;
    }
    case 3:
      return encoding.writeVarUint8Array(e, rng.bytes(rng.int(16)));
    case 4:
      return S(e, rng.pick(['', 'x', 'hello', '👋', '\ud800', 'a'.repeat(rng.int(100))]));
    case 5:
      return S(e, rng.pick(JSON_TEXTS));
    case 6:
      return (S(e, rng.pick(['bold', '__proto__', ''])), S(e, rng.pick(JSON_TEXTS)));
    case 7: {
      const typeRef = rng.chance(0.9) ? rng.int(7) : small(20);
      W(e, typeRef);
      if (typeRef === 3 || typeRef === 5) S(e, 'p');
      return;
    }
    case 8: {
      const n = small(3);
      W(e, n);
      for (let i = 0; i < Math.min(n, 3); i++) encoding.writeAny(e, rng.pick([null, 1, 'x', true, { a: [1, { b: null }] }, [[[[]]]], -5, 1.5]));
      return;
    }
    case 9:
      S(e, 'guid');
      return encoding.writeAny(e, rng.pick([{}, { gc: false }, null, 'opts', [1]]));
    default:
      // an unknown ref: whatever bytes follow
      return encoding.writeUint8Array(e, rng.bytes(rng.int(8)));
  }
}

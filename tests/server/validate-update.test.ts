import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Origin } from '@parley/server/yjs/live-doc';
import { applyClientUpdate } from '@parley/shared/yjs/apply-client-update';
import { validateUpdateFor } from '@parley/shared/yjs/update-against-doc';
import { validateAwarenessUpdate } from '@parley/shared/yjs/validate-awareness';
import { DEFAULT_UPDATE_LIMITS, validateStateVector, validateUpdate } from '@parley/shared/yjs/validate-update';
import { prng, type Prng } from '../helpers/prng';
import { HOSTILE_UPDATES, nestedMaps, oneClient } from '../helpers/hostile-updates';
import { craft, mutate, randomUpdate, realAwarenessUpdates, realUpdates } from '../helpers/yjs-corpus';

/** The origin a connection's updates carry (applyClientUpdate keeps it for stashed structs). */
const connectionOrigin = () => Origin.connection({ send: () => undefined, close: () => undefined });

const W = encoding.writeVarUint;
const S = encoding.writeVarString;
const U8 = encoding.writeUint8;
const reasonOf = (verdict: { ok: boolean; reason?: string }) => (verdict.ok ? 'ok' : verdict.reason);

/** Applies to a fresh doc; returns the error yjs threw, if any. */
function yjsError(update: Uint8Array, base?: Uint8Array): string | null {
  const doc = new Y.Doc();
  try {
    if (base) Y.applyUpdate(doc, base);
    Y.applyUpdate(doc, update);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    doc.destroy();
  }
}

describe('validateUpdate: real updates (contract: malformed frames close 4400, good ones never)', () => {
  const updates = realUpdates();

  it('V1 accepts every update real Y.Doc edits produce, alone and against the doc it extends', () => {
    expect(updates.length).toBeGreaterThan(25);
    const doc = new Y.Doc();
    for (const [i, update] of updates.entries()) {
      expect(reasonOf(validateUpdate(update)), `update ${i}`).toBe('ok');
      expect(reasonOf(validateUpdateFor(doc, update)), `update ${i} against the doc`).toBe('ok');
      Y.applyUpdate(doc, update);
    }
    expect(doc.getText('notes').toString()).toContain('from c');
  });

  it('V2 reports the root types and subdocuments an update names', () => {
    const full = updates[updates.length - 6]!;
    const verdict = validateUpdate(full);
    expect(verdict.ok && [...verdict.rootTypes].sort()).toEqual(['answers', 'history', 'notes', 'xml']);
    expect(verdict.ok && verdict.subdocs).toBe(1);
  });

  it('V3 accepts or rejects every truncation of real updates, without throwing, in bounded time', () => {
    // the first edit, then the full states, the merged update (with skips) and the diff
    const samples = [updates[0]!, ...updates.slice(-6, -1)];
    let accepted = 0;
    let cases = 0;
    const start = performance.now();
    for (const update of samples) {
      for (let end = 0; end < update.length; end++) {
        const cut = update.subarray(0, end);
        const verdict = validateUpdate(cut);
        cases++;
        // What the validator lets through, yjs must apply without throwing.
        if (verdict.ok) {
          accepted++;
          expect(yjsError(cut), Buffer.from(cut).toString('hex')).toBeNull();
        }
      }
    }
    expect(cases).toBeGreaterThan(1000);
    expect(accepted).toBeLessThan(cases / 10);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it.each([
    ['mutations of real updates', (rng: Prng) => mutate(rng, rng.pick(updates), updates)],
    ['randomly generated structs', randomUpdate],
  ])('V4 never throws on seeded %s, and whatever it accepts yjs applies cleanly (seed 8)', (_name, generate) => {
    const rng = prng(8);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const update = generate(rng);
      const verdict = validateUpdate(update);
      if (!verdict.ok) continue;
      accepted++;
      expect(yjsError(update, rng.chance(0.5) ? updates[updates.length - 6] : undefined), Buffer.from(update).toString('hex')).toBeNull();
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('V5 validates a 1 MiB update of tiny structs and 1 MiB of random bytes quickly', () => {
    const count = 240_000;
    const many = oneClient(count, (e) => {
      // an array of nested maps, each item after the previous one
      U8(e, 7);
      W(e, 1);
      S(e, 'list');
      W(e, 1);
      for (let i = 1; i < count; i++) {
        U8(e, 7 | 0x80);
        W(e, 1);
        W(e, i - 1);
        W(e, 1);
      }
    });
    expect(many.length).toBeGreaterThan(1_000_000);
    let start = performance.now();
    expect(reasonOf(validateUpdate(many))).toBe('ok');
    expect(reasonOf(validateUpdateFor(new Y.Doc(), many))).toBe('ok');
    expect(performance.now() - start).toBeLessThan(3000);
    const rng = prng(3);
    const random = rng.bytes(1024 * 1024);
    start = performance.now();
    for (let i = 0; i < 20; i++) validateUpdate(random.subarray(i));
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('validateUpdate: inputs yjs 13.6 mishandles are rejected', () => {

  it.each(HOSTILE_UPDATES.map((c) => [c.name, c.update, c.reason] as const))('V6 %s', (_name, update, reason) => {
    const verdict = validateUpdate(update);
    expect(verdict.ok).toBe(false);
    expect(reasonOf(verdict)).toMatch(reason);
  });

  it('V7 bounds type nesting across updates, looking parents up in the doc', () => {
    const doc = new Y.Doc();
    const first = nestedMaps(60);
    expect(reasonOf(validateUpdateFor(doc, first))).toBe('ok');
    Y.applyUpdate(doc, first);
    // Another 60 levels under the deepest map: fine alone, too deep on top of the doc.
    const second = nestedMaps(60, 60, [1, 59]);
    expect(reasonOf(validateUpdate(second))).toBe('ok');
    expect(reasonOf(validateUpdateFor(doc, second))).toMatch(/types nested too deeply/);
    // A type whose parent the doc lacks would wait in yjs's pending store, unchecked: refused.
    expect(reasonOf(validateUpdateFor(new Y.Doc(), second))).toMatch(/unknown parent/);
    // Re-sending what the doc already has is fine.
    expect(reasonOf(validateUpdateFor(doc, first))).toBe('ok');
  });

  it('V8 bounds root types and subdocuments per doc, not only per update', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < DEFAULT_UPDATE_LIMITS.maxRootTypes; i++) doc.getMap(`root${i}`);
    const another = oneClient(1, (e) => (U8(e, 1), W(e, 1), S(e, 'one-more'), W(e, 1)));
    expect(reasonOf(validateUpdate(another))).toBe('ok');
    expect(reasonOf(validateUpdateFor(doc, another))).toMatch(/root types in the document/);
    const existing = oneClient(1, (e) => (U8(e, 1), W(e, 1), S(e, 'root3'), W(e, 1)));
    expect(reasonOf(validateUpdateFor(doc, existing))).toBe('ok');

    const withSubdocs = new Y.Doc();
    const map = withSubdocs.getMap('m');
    for (let i = 0; i < DEFAULT_UPDATE_LIMITS.maxSubdocs; i++) map.set(`d${i}`, new Y.Doc());
    const subdoc = oneClient(1, (e) => (U8(e, 9 | 0x20), W(e, 1), S(e, 'm'), S(e, 'extra'), S(e, 'guid'), U8(e, 118), W(e, 0)));
    expect(reasonOf(validateUpdateFor(withSubdocs, subdoc))).toMatch(/subdocuments in the document/);
  });

  it('V9 drops unresolved structs and deletes past the bound (yjs re-read them on every update: seconds each)', () => {
    const doc = new Y.Doc();
    // Items whose origin (client 5) never arrives, and deletes of clocks nobody wrote.
    const pendingItem = (client: number) => oneClient(1, (e) => (U8(e, 4 | 0x80), W(e, 5), W(e, 1e6), S(e, 'x'.repeat(30_000))), client);
    const pendingDeletes = (client: number) =>
      craft((e) => {
        W(e, 0);
        W(e, 1);
        W(e, client);
        W(e, 1000);
        for (let i = 0; i < 1000; i++) {
          W(e, 2 * i + 100);
          W(e, 1);
        }
      });
    for (const make of [pendingItem, pendingDeletes]) {
      let applied = 0;
      let verdict: ReturnType<typeof applyClientUpdate>;
      do {
        expect(applied++).toBeLessThan(20);
        verdict = applyClientUpdate(doc, make(1000 + applied), connectionOrigin());
      } while (verdict.ok);
      expect(reasonOf(verdict)).toMatch(/missing dependencies/);
      expect(applied).toBeGreaterThan(1);
      expect(doc.store.pendingStructs).toBeNull();
      expect(doc.store.pendingDs).toBeNull();
    }
    doc.getText('t').insert(0, 'still works');
    expect(doc.getText('t').toString()).toBe('still works');
  });

  /** client 7 wrote answers.k (clock 0), then "hello" into notes (clocks 1–5) */
  const docOfClient7 = () => {
    const source = new Y.Doc();
    source.clientID = 7;
    source.getMap('answers').set('k', 1);
    source.getText('notes').insert(0, 'hello');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    return { source, doc };
  };
  /** client 7, clocks 3–12, a string claimed for root type `root` */
  const overlapping = (root: string) => oneClient(1, (e) => (U8(e, 4), W(e, 1), S(e, root), S(e, 'ATTACKER!!')), 7, 3);

  it('V10 refuses a partly known item that does not continue the same item (yjs linked it into another list)', () => {
    const { doc } = docOfClient7();
    // yjs would append "ACKER!!" to notes' list while counting it in `zzz`: a corrupt doc.
    expect(reasonOf(validateUpdateFor(doc, overlapping('zzz')))).toMatch(/continues another parent|lacks/);
    expect(reasonOf(validateUpdateFor(doc, overlapping('answers')))).toMatch(/continues another parent/);
    // The honest case: the same item, re-sent longer (a stock client's update racing its step 2).
    const { source, doc: server } = docOfClient7();
    source.getText('notes').insert(5, ' world');
    const resent = Y.encodeStateAsUpdate(source, Y.encodeStateVector(new Y.Doc()));
    expect(reasonOf(validateUpdateFor(server, resent))).toBe('ok');
    expect(applyClientUpdate(server, resent, connectionOrigin()).ok).toBe(true);
    expect(server.getText('notes').toString()).toBe('hello world');
  });

  it('V11 validates stashed structs when their dependencies arrive, not only when they come in', () => {
    // 22 + 7 bytes: an item of client 9 after a gap (pending), then GC structs filling the gap.
    // yjs retried the pending item inside the second update and threw half-way through it.
    const pending = oneClient(1, (e) => (U8(e, 4), W(e, 1), S(e, 'zzz'), S(e, 'PENDINGXXX')), 9, 5);
    const filler = oneClient(1, (e) => (U8(e, 0), W(e, 10)), 9, 0);
    const bare = new Y.Doc();
    Y.applyUpdate(bare, pending);
    expect(() => Y.applyUpdate(bare, filler)).toThrow();

    const doc = new Y.Doc();
    const attacker = connectionOrigin();
    expect(applyClientUpdate(doc, pending, attacker).ok).toBe(true);
    expect(doc.store.pendingStructs).toBeNull(); // stashed, out of yjs's reach
    expect(applyClientUpdate(doc, filler, attacker).ok).toBe(true); // the stale entry is dropped
    expect(doc.get('zzz')._length).toBe(0);

    // Honest pending content still lands once its dependency arrives.
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    writer.getText('notes').insert(0, 'first');
    writer.getText('notes').insert(5, ' second');
    const relayed: unknown[] = [];
    const writerOrigin = connectionOrigin();
    doc.on('update', (_u: Uint8Array, origin: unknown) => relayed.push(origin));
    expect(applyClientUpdate(doc, updates[1]!, writerOrigin).ok).toBe(true);
    expect(doc.getText('notes').toString()).toBe('');
    expect(applyClientUpdate(doc, updates[0]!, writerOrigin).ok).toBe(true);
    expect(doc.getText('notes').toString()).toBe('first second');
    expect(relayed).toEqual([writerOrigin, writerOrigin]);
  });
});

describe('validateStateVector', () => {
  it('V12 accepts real state vectors and rejects malformed ones', () => {
    const doc = new Y.Doc();
    for (const update of realUpdates()) Y.applyUpdate(doc, update);
    expect(reasonOf(validateStateVector(Y.encodeStateVector(doc)))).toBe('ok');
    expect(reasonOf(validateStateVector(Y.encodeStateVector(new Y.Doc())))).toBe('ok');
    expect(reasonOf(validateStateVector(craft((e) => W(e, 2 ** 32))))).toMatch(/count/);
    expect(reasonOf(validateStateVector(Uint8Array.from([1, 5, 0x80])))).toMatch(/unexpected end/);
    expect(reasonOf(validateStateVector(Uint8Array.from([0, 0])))).toMatch(/trailing/);
  });
});

describe('validateAwarenessUpdate', () => {
  const real = realAwarenessUpdates();
  const entry = (e: encoding.Encoder, client: number, state: string) => (W(e, client), W(e, 1), S(e, state));

  it('V13 accepts what y-protocols encodes and names the clients', () => {
    for (const update of real) expect(reasonOf(validateAwarenessUpdate(update))).toBe('ok');
    const verdict = validateAwarenessUpdate(real[1]!);
    expect(verdict.ok && verdict.clients).toEqual([201]);
  });

  it('V14 rejects or accepts every truncation without throwing', () => {
    for (const update of real) {
      for (let end = 0; end < update.length; end++) expect(validateAwarenessUpdate(update.subarray(0, end)).ok).toBe(false);
    }
  });

  it.each([
    ['too many states', craft((e) => (W(e, 17), Array.from({ length: 17 }, (_, i) => entry(e, i, 'null')))), /too many awareness states/],
    ['a huge count', craft((e) => W(e, 2 ** 40)), /count/],
    ['invalid JSON', craft((e) => (W(e, 1), entry(e, 1, '{nope'))), /invalid JSON/],
    ['deeply nested JSON (re-encoding overflows the stack)', craft((e) => (W(e, 1), entry(e, 1, '{"a":'.repeat(40) + '1' + '}'.repeat(40)))), /nested too deeply/],
    ['a number as state', craft((e) => (W(e, 1), entry(e, 1, '5'))), /not an object/],
    ['an array as state', craft((e) => (W(e, 1), entry(e, 1, '[]'))), /not an object/],
    ['trailing bytes', craft((e) => (W(e, 1), entry(e, 1, 'null'), U8(e, 0))), /trailing/],
  ])('V15 rejects %s', (_name, update, reason) => {
    expect(reasonOf(validateAwarenessUpdate(update))).toMatch(reason);
  });

  it('V16 accepts a __proto__ key as plain data (JSON.parse makes it an own property)', () => {
    const verdict = validateAwarenessUpdate(craft((e) => (W(e, 1), entry(e, 1, '{"__proto__":{"polluted":true}}'))));
    expect(verdict.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { EnvelopeKind, newSender, sealEnvelope, type AeadKey, type Seal } from '@parley/shared/sealed/envelope';
import { openAndValidate, type OpenedUpdate } from '@parley/shared/sealed/open-update';
import { SeqGuard } from '@parley/shared/sealed/replay';
import { HOSTILE_UPDATES, oneClient } from '../helpers/hostile-updates';
import { realUpdates } from '../helpers/yjs-corpus';
import { aeadKeyFrom } from './sealed-support';

/**
 * The client side of a sealed doc (issue 16, sealed-rooms.md §7): an envelope from the partner
 * or another device is opened, its update validated against the doc with the server's own
 * validator, and only then applied. Anything else is "could not be read" and leaves the doc as
 * it was.
 */

const DOC = 'ROOMidROOMidROOMidROOMi/shared';
const REMOTE = { source: 'sealed provider' };
const key = (fill: number) => aeadKeyFrom(new Uint8Array(32).fill(fill));

/** A sealing writer: one sender, seqs from 1, as a SealedProvider's session would seal. */
function writer(aead: AeadKey, context = DOC, kind: EnvelopeKind = EnvelopeKind.update) {
  const sender = newSender();
  let seq = 0;
  return async (payload: Uint8Array, header: Partial<Seal> = {}): Promise<Uint8Array> => {
    const verdict = await sealEnvelope(aead, { kind, sender, seq: ++seq, context, ...header }, payload);
    if (!verdict.ok) throw new Error(verdict.reason);
    return verdict.envelope;
  };
}

/** A reader's doc with some content already, and a record of every change made to it. */
function readerDoc() {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, 'what the reader had');
  doc.getMap('answers').set('impact', { rating: 'yes' });
  const changes: unknown[] = [];
  doc.on('update', (_update: Uint8Array, origin: unknown) => changes.push(origin));
  return { doc, changes, state: () => Y.encodeStateAsUpdate(doc) };
}

const unreadable = (result: OpenedUpdate) => (result.ok ? 'ok' : result.reason);

/** The updates a real Y.Doc emits for `edit`, one per transaction. */
function updatesOf(edit: (source: Y.Doc) => void): Uint8Array[] {
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (update: Uint8Array) => updates.push(update));
  edit(source);
  return updates;
}

/** Two edits of one text, the second after (and depending on) the first, sealed in order by one writer. */
async function sealedTwoEdits(one: string, two: string) {
  const aead = await key(1);
  const seal = writer(aead);
  const updates = updatesOf((source) => {
    source.getText('notes').insert(0, one);
    source.getText('notes').insert(one.length, two);
  });
  return { aead, seal, updates, first: await seal(updates[0]!), second: await seal(updates[1]!) };
}

describe('openAndValidate: hostile updates inside authentic envelopes', () => {
  it.each(HOSTILE_UPDATES.map((c) => [c.name, c.update, c.reason] as const))('SO1 %s: could not be read, the doc is unchanged', async (_name, update, reason) => {
    const aead = await key(1);
    const envelope = await writer(aead)(update);
    const { doc, changes, state } = readerDoc();
    const before = state();
    const result = await openAndValidate(doc, envelope, { key: aead, context: DOC, origin: REMOTE, guard: new SeqGuard() });
    expect(unreadable(result)).toBe('invalid update');
    expect(!result.ok && result.detail).toMatch(reason);
    expect(changes).toEqual([]);
    expect(state()).toEqual(before);
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.getText('notes').toString()).toBe('what the reader had');
  });

  it('SO2 past the bound of unresolved content, the unresolved content is dropped and the doc keeps working', async () => {
    const aead = await key(1);
    const seal = writer(aead);
    const { doc } = readerDoc();
    // Items of new clients whose origin (client 5) never arrives, 30 KB each.
    const pendingItem = (client: number) => oneClient(1, (e) => (encoding.writeUint8(e, 4 | 0x80), encoding.writeVarUint(e, 5), encoding.writeVarUint(e, 1e6), encoding.writeVarString(e, 'x'.repeat(30_000))), client);
    let result: OpenedUpdate;
    let sent = 0;
    do {
      expect(sent++).toBeLessThan(20);
      result = await openAndValidate(doc, await seal(pendingItem(1000 + sent)), { key: aead, context: DOC, origin: REMOTE });
    } while (result.ok);
    expect(unreadable(result)).toBe('too much pending');
    expect(sent).toBeGreaterThan(1);
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.getText('notes').toString()).toBe('what the reader had');
  });
});

describe('openAndValidate: good updates', () => {
  it('SO3 every update of a real second Y.Doc, sealed in order, applies with the remote origin and gives the writer’s doc', async () => {
    const aead = await key(1);
    const seal = writer(aead);
    const updates = updatesOf((source) => {
      source.getText('notes').insert(0, 'We would like to try this 👋');
      source.getText('notes').format(0, 2, { bold: true });
      source.getMap('answers').set('trust', { rating: 'maybe', note: 'only slowly' });
      const nested = new Y.Map<unknown>();
      source.getArray<unknown>('history').push([nested]);
      nested.set('k', [1, 'two', { three: 3 }]);
      source.getText('notes').delete(0, 3);
    });

    const { doc, changes, state } = readerDoc();
    // What applying the same updates unchecked gives.
    const plain = new Y.Doc();
    Y.applyUpdate(plain, state());
    for (const update of updates) Y.applyUpdate(plain, update);
    const guard = new SeqGuard();
    for (const [i, update] of updates.entries()) {
      const result = await openAndValidate(doc, await seal(update), { key: aead, context: DOC, origin: REMOTE, guard });
      expect(result.ok && result.seq, `update ${i}`).toBe(i + 1);
    }
    expect(changes).toEqual(updates.map(() => REMOTE));
    expect(doc.getText('notes').toString()).toBe(plain.getText('notes').toString());
    expect(doc.getText('notes').toString()).toContain('would like to try this 👋');
    expect(doc.getText('notes').toString()).toContain('what the reader had');
    expect(doc.getMap('answers').toJSON()).toEqual({ impact: { rating: 'yes' }, trust: { rating: 'maybe', note: 'only slowly' } });
    expect(doc.getArray('history').toJSON()).toEqual([{ k: [1, 'two', { three: 3 }] }]);
  });

  it('SO4 the validator’s real-update corpus (formats, embeds, XML, a subdocument, merged and diffed updates) all apply', async () => {
    const aead = await key(1);
    const seal = writer(aead);
    const doc = new Y.Doc();
    const plain = new Y.Doc();
    const guard = new SeqGuard();
    for (const [i, update] of realUpdates().entries()) {
      expect(unreadable(await openAndValidate(doc, await seal(update), { key: aead, context: DOC, origin: REMOTE, guard })), `update ${i}`).toBe('ok');
      Y.applyUpdate(plain, update);
    }
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(plain));
    expect(doc.getText('notes').toString()).toBe(plain.getText('notes').toString());
    expect(doc.getText('notes').toString()).toContain('from c');
  });

  it('SO5 without a guard (the shared doc), updates that arrive out of order wait and land once their dependency does', async () => {
    const { aead, first, second } = await sealedTwoEdits('first', ' second');
    const doc = new Y.Doc();
    expect(unreadable(await openAndValidate(doc, second, { key: aead, context: DOC, origin: REMOTE }))).toBe('ok');
    expect(doc.getText('notes').toString()).toBe('');
    expect(unreadable(await openAndValidate(doc, first, { key: aead, context: DOC, origin: REMOTE }))).toBe('ok');
    expect(doc.getText('notes').toString()).toBe('first second');
    // Yjs updates are idempotent: the same envelope again changes nothing.
    expect(unreadable(await openAndValidate(doc, first, { key: aead, context: DOC, origin: REMOTE }))).toBe('ok');
    expect(doc.getText('notes').toString()).toBe('first second');
  });
});

describe('openAndValidate: envelopes that do not open are never applied', () => {
  const edit = () => updatesOf((source) => source.getText('notes').insert(0, 'CANARY from the partner'))[0]!;

  it('SO6 a flipped bit anywhere (header, ciphertext, tag), a wrong key, another doc name or another kind: does not open', async () => {
    const aead = await key(1);
    const envelope = await writer(aead)(edit());
    const cases: [string, Uint8Array, AeadKey, string][] = [];
    for (const at of [1, 5, 12, 20, 40, envelope.length - 1]) {
      const tampered = envelope.slice();
      tampered[at]! ^= 0x01;
      cases.push([`bit flipped at ${at}`, tampered, aead, DOC]);
    }
    cases.push(['wrong key', envelope, await key(2), DOC]);
    cases.push(['another doc name', envelope, aead, 'ROOMidROOMidROOMidROOMi/private/a']);
    cases.push(['another room', envelope, aead, 'OTHERidOTHERidOTHERidOT/shared']);
    cases.push(['a keyring envelope', await writer(aead, DOC, EnvelopeKind.keyring)(edit()), aead, DOC]);
    cases.push(['truncated', envelope.subarray(0, envelope.length - 1), aead, DOC]);
    for (const [name, bytes, openWith, context] of cases) {
      const { doc, changes, state } = readerDoc();
      const before = state();
      const result = await openAndValidate(doc, bytes, { key: openWith, context, origin: REMOTE, guard: new SeqGuard() });
      expect(unreadable(result), name).toBe('does not open');
      expect(changes, name).toEqual([]);
      expect(state(), name).toEqual(before);
      expect(doc.getText('notes').toString(), name).not.toContain('CANARY');
    }
    // The untouched envelope opens, with the right key and doc name.
    const { doc } = readerDoc();
    expect(unreadable(await openAndValidate(doc, envelope, { key: aead, context: DOC, origin: REMOTE }))).toBe('ok');
    expect(doc.getText('notes').toString()).toContain('CANARY from the partner');
  });

  it('SO7 with a guard, a replayed envelope or an older one of the same sender is refused and changes nothing', async () => {
    const { aead, seal, updates, first, second } = await sealedTwoEdits('one', ' two');
    const { doc, changes } = readerDoc();
    const guard = new SeqGuard();
    const open = (envelope: Uint8Array) => openAndValidate(doc, envelope, { key: aead, context: DOC, origin: REMOTE, guard });
    expect(unreadable(await open(first))).toBe('ok');
    expect(unreadable(await open(first))).toBe('replayed');
    expect(unreadable(await open(second))).toBe('ok');
    const after = Y.encodeStateAsUpdate(doc);
    const result = await open(first);
    expect(unreadable(result)).toBe('replayed');
    expect(!result.ok && result.detail).toBe('replayed');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(after);
    expect(changes).toHaveLength(2);
    // A forgery under the same sender records nothing: the next real one still opens.
    const forged = (await seal(updates[1]!)).slice();
    forged[forged.length - 1]! ^= 0x80;
    expect(unreadable(await open(forged))).toBe('does not open');
    expect(guard.senders).toBe(1);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '@parley/server/store/doc-store';
import { DataCipher, sealContext } from '@parley/server/store/encrypted/cipher';
import { EncryptedDocStore } from '@parley/server/store/encrypted/doc-store';
import { DataKeyError, dataKeyMessages, verifyDataKey } from '@parley/server/store/encrypted/key-check';
import { EncryptedRoomStore } from '@parley/server/store/encrypted/room-store';
import { reencryptEverything } from '@parley/server/store/encrypted/rotate';
import type { EncryptionStore } from '@parley/server/store/encryption-store';
import type { ParticipantRecord, RoomRecord, RoomStore } from '@parley/server/store/room-store';
import { mergeWithGc } from '@parley/server/yjs/doc-hub';

export interface EncryptionStoreFixture {
  /** the plain stores over one empty database */
  docs: DocStore;
  rooms: RoomStore;
  encryption: EncryptionStore;
  cleanup: () => Promise<void>;
}

const T0 = 1_700_000_000_000;
const now = () => T0;
const newId = (): string => randomBytes(12).toString('base64url');
const sha256 = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keyC = randomBytes(32);

function roomWith(secret: string) {
  const id = newId();
  const room: RoomRecord = {
    id,
    title: `${secret} title`,
    revealMode: 'full',
    templateId: 'default',
    templateVersion: 1,
    createdAt: T0,
    touchedAt: T0,
    workshopId: null,
  };
  const person = (seat: 'a' | 'b'): ParticipantRecord => ({
    id: newId(),
    roomId: id,
    seat,
    displayName: `${secret} ${seat}`,
    tokenHash: sha256(newId()),
    createdAt: T0,
  });
  return { room, creator: person('a'), joiner: person('b'), inviteHash: sha256(newId()) };
}

/** Edits of a text, one update each, as a provider sends them. */
function edits(words: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const word of words) doc.getText('t').insert(doc.getText('t').length, word);
  return updates;
}

const textOf = (updates: Uint8Array[]): string => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

/** A room with names, a title, a compacted doc with a later edit and an uncompacted doc. */
async function fill(docs: DocStore, rooms: RoomStore, secret: string) {
  const f = roomWith(secret);
  await rooms.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: [] });
  expect(await rooms.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
  const shared = `${f.room.id}/shared`;
  const priv = `${f.room.id}/private/${f.creator.id}`;
  const sharedEdits = edits([`${secret} one `, `${secret} two `, `${secret} three`]);
  await docs.appendUpdates(sharedEdits.slice(0, 2).map((update) => ({ docName: shared, update })));
  await docs.compactDoc(shared, mergeWithGc);
  await docs.appendUpdates([{ docName: shared, update: sharedEdits[2]! }]);
  await docs.appendUpdates(edits([`${secret} private`]).map((update) => ({ docName: priv, update })));
  return { ...f, shared, priv, sharedText: `${secret} one ${secret} two ${secret} three`, privText: `${secret} private` };
}

type Filled = Awaited<ReturnType<typeof fill>>;

async function expectReadable(docs: DocStore, rooms: RoomStore, f: Filled): Promise<void> {
  expect(textOf(await docs.loadDoc(f.shared))).toBe(f.sharedText);
  expect(textOf(await docs.loadDoc(f.priv))).toBe(f.privText);
  expect((await rooms.getRoom(f.room.id))?.title).toBe(f.room.title);
  expect((await rooms.listParticipants(f.room.id)).map((p) => p.displayName)).toEqual([f.creator.displayName, f.joiner.displayName]);
  expect((await rooms.findParticipantByTokenHash(f.joiner.tokenHash))?.displayName).toBe(f.joiner.displayName);
}

const rejection = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DataKeyError ? error.message : `other: ${String(error)}`),
  );

/**
 * What at-rest encryption needs from a store (SQLite, Postgres): the key check, the walk over
 * stored secrets, and — built on them and the plain stores — the start-up check and rotation.
 */
export function describeEncryptionStoreContract(name: string, setup: () => Promise<EncryptionStoreFixture>): void {
  describe(`EncryptionStore contract: ${name}`, () => {
    let f: EncryptionStoreFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.cleanup();
    });
    const encrypted = (cipher: DataCipher) => ({
      docs: new EncryptedDocStore(f.docs, cipher),
      rooms: new EncryptedRoomStore(f.rooms, cipher),
    });

    it('keeps one key check: insert only if none, replace on rotation', async () => {
      expect(await f.encryption.readKeyCheck()).toBeNull();
      expect(await f.encryption.insertKeyCheck(new Uint8Array([1, 2]), T0)).toBe(true);
      expect(await f.encryption.insertKeyCheck(new Uint8Array([3]), T0)).toBe(false);
      expect(Buffer.from((await f.encryption.readKeyCheck())!)).toEqual(Buffer.from([1, 2]));
      await f.encryption.replaceKeyCheck(new Uint8Array([4]), T0);
      expect(Buffer.from((await f.encryption.readKeyCheck())!)).toEqual(Buffer.from([4]));
    });

    it('hasContent: false when empty, true with a room or with a doc alone', async () => {
      expect(await f.encryption.hasContent()).toBe(false);
      await f.docs.appendUpdates([{ docName: 'room-x/shared', update: new Uint8Array([0, 0]) }]);
      expect(await f.encryption.hasContent()).toBe(true);
      await f.docs.deleteRoomDocs('room-x');
      expect(await f.encryption.hasContent()).toBe(false);
      const r = roomWith('n');
      await f.rooms.createRoom({ room: r.room, creator: r.creator, inviteHash: r.inviteHash, sections: [] });
      expect(await f.encryption.hasContent()).toBe(true);
    });

    it('lists every doc once (snapshot, log or both) and every title and display name', async () => {
      const filled = await fill(f.docs, f.rooms, 'list');
      await f.docs.appendUpdates([{ docName: 'other/shared', update: new Uint8Array([0, 0]) }]);
      expect(await f.encryption.listDocNames()).toEqual([filled.priv, filled.shared, 'other/shared'].sort());
      const untitled = roomWith('untitled');
      await f.rooms.createRoom({ room: { ...untitled.room, title: null }, creator: untitled.creator, inviteHash: untitled.inviteHash, sections: [] });
      const texts = await f.encryption.listTexts();
      expect(texts).toHaveLength(4);
      expect(texts).toEqual(
        expect.arrayContaining([
          { field: 'room.title', id: filled.room.id, value: 'list title' },
          { field: 'participant.displayName', id: filled.creator.id, value: 'list a' },
          { field: 'participant.displayName', id: filled.joiner.id, value: 'list b' },
          { field: 'participant.displayName', id: untitled.creator.id, value: 'untitled a' },
        ]),
      );
    });

    it('replaceText changes a text only if it still holds the value read', async () => {
      const r = roomWith('old');
      await f.rooms.createRoom({ room: r.room, creator: r.creator, inviteHash: r.inviteHash, sections: [] });
      const name = { field: 'participant.displayName', id: r.creator.id, value: 'old a' } as const;
      expect(await f.encryption.replaceText(name, 'new a')).toBe(true);
      expect(await f.encryption.replaceText(name, 'lost')).toBe(false);
      expect((await f.rooms.listParticipants(r.room.id))[0]?.displayName).toBe('new a');
      const title = { field: 'room.title', id: r.room.id, value: 'old title' } as const;
      expect(await f.encryption.replaceText(title, 'new title')).toBe(true);
      expect((await f.rooms.getRoom(r.room.id))?.title).toBe('new title');
    });

    describe('start-up key check (verifyDataKey)', () => {
      it('no DATA_KEY on unencrypted data: runs unencrypted and writes nothing', async () => {
        expect(await verifyDataKey(f.encryption, { current: null, previous: null }, now)).toBeNull();
        expect(await f.encryption.readKeyCheck()).toBeNull();
      });

      it('a fresh database takes the key; the same key passes again, a wrong one or none fails clearly', async () => {
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        expect(cipher).not.toBeNull();
        expect(await f.encryption.readKeyCheck()).not.toBeNull();
        await fill(encrypted(cipher!).docs, encrypted(cipher!).rooms, 'kept');
        const before = await f.docs.loadDoc((await f.encryption.listDocNames())[0]!);

        expect(await verifyDataKey(f.encryption, { current: keyA, previous: null }, now)).not.toBeNull();
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: null }, now))).toBe(dataKeyMessages.mismatch);
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: keyC }, now))).toBe(dataKeyMessages.mismatchEither);
        expect(await rejection(verifyDataKey(f.encryption, { current: null, previous: null }, now))).toBe(dataKeyMessages.missing);
        // the failed starts changed nothing
        expect(await f.docs.loadDoc((await f.encryption.listDocNames())[0]!)).toEqual(before);
        expect(await verifyDataKey(f.encryption, { current: keyA, previous: null }, now)).not.toBeNull();
      });

      it('during a rotation the new key passes with the old one as previous', async () => {
        await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        expect(await verifyDataKey(f.encryption, { current: keyB, previous: keyA }, now)).not.toBeNull();
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: null }, now))).toBe(dataKeyMessages.mismatch);
      });

      it('a key on unencrypted content is refused, pointing to rotate-key, and no key check is written', async () => {
        await fill(f.docs, f.rooms, 'plain');
        expect(await rejection(verifyDataKey(f.encryption, { current: keyA, previous: null }, now))).toBe(dataKeyMessages.plaintext);
        expect(dataKeyMessages.plaintext).toContain('npm run rotate-key');
        expect(await f.encryption.readKeyCheck()).toBeNull();
      });
    });

    describe('rotate-key (reencryptEverything)', () => {
      const rotate = (cipher: DataCipher) => reencryptEverything({ docs: f.docs, encryption: f.encryption, cipher, merge: mergeWithGc, now });

      /** Every stored blob and text is sealed with the cipher's current key and holds no canary. */
      async function expectAllSealedWith(cipher: DataCipher, canary: string): Promise<void> {
        for (const docName of await f.encryption.listDocNames()) {
          for (const blob of await f.docs.loadDoc(docName)) {
            expect(cipher.isCurrent(blob), docName).toBe(true);
            expect(Buffer.from(blob).indexOf(canary)).toBe(-1);
          }
        }
        for (const text of await f.encryption.listTexts()) {
          expect(cipher.isCurrentText(text.value), text.id).toBe(true);
          expect(text.value).not.toContain(canary);
        }
      }

      it('encrypts data that was never encrypted, after which only that key reads it', async () => {
        const filled = await fill(f.docs, f.rooms, 'CANARY-enc');
        const report = await rotate(new DataCipher(keyA));
        expect(report).toEqual({ mode: 'encrypt', docs: 2, docsRewritten: 2, texts: 3, textsRewritten: 3 });
        await expectAllSealedWith(new DataCipher(keyA), 'CANARY-enc');
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        await expectReadable(encrypted(cipher!).docs, encrypted(cipher!).rooms, filled);
        // each doc is one snapshot now
        expect(await f.docs.loadDoc(filled.shared)).toHaveLength(1);
      });

      it('picks up a first encryption that stopped half-way', async () => {
        const done = await fill(f.docs, f.rooms, 'CANARY-half');
        const pending = await fill(f.docs, f.rooms, 'CANARY-half');
        // as if a run sealed one room's docs and names, then crashed
        const cipher = new DataCipher(keyA);
        for (const docName of [done.shared, done.priv]) {
          await f.docs.appendUpdates([{ docName, update: new Uint8Array([0, 0]) }]);
          await f.docs.compactDoc(docName, (updates) => cipher.seal(mergeWithGc(updates), sealContext.doc(docName)));
        }
        for (const text of await f.encryption.listTexts()) {
          if (text.id === done.creator.id) await f.encryption.replaceText(text, cipher.sealText(text.value, sealContext.displayName(text.id)));
        }

        const report = await rotate(new DataCipher(keyA));
        expect(report).toMatchObject({ mode: 'encrypt', docs: 4, docsRewritten: 2, texts: 6, textsRewritten: 5 });
        await expectAllSealedWith(cipher, 'CANARY-half');
        const stores = encrypted(cipher);
        await expectReadable(stores.docs, stores.rooms, done);
        await expectReadable(stores.docs, stores.rooms, pending);
      });

      it('rotates from key A to key B; afterwards B alone reads everything and A is refused', async () => {
        const a = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        const filled = await fill(encrypted(a!).docs, encrypted(a!).rooms, 'CANARY-rot');
        // the server restarted with B and A as previous writes with B meanwhile
        const during = await verifyDataKey(f.encryption, { current: keyB, previous: keyA }, now);
        const late = edits(['late']);
        await encrypted(during!).docs.appendUpdates([{ docName: `${filled.room.id}/late`, update: late[0]! }]);

        const report = await rotate(new DataCipher(keyB, keyA));
        expect(report).toMatchObject({ mode: 'rotate', docs: 3, docsRewritten: 2, texts: 3, textsRewritten: 3 });
        await expectAllSealedWith(new DataCipher(keyB), 'CANARY-rot');

        const b = await verifyDataKey(f.encryption, { current: keyB, previous: null }, now);
        await expectReadable(encrypted(b!).docs, encrypted(b!).rooms, filled);
        expect(textOf(await encrypted(b!).docs.loadDoc(`${filled.room.id}/late`))).toBe('late');
        expect(await rejection(verifyDataKey(f.encryption, { current: keyA, previous: null }, now))).toBe(dataKeyMessages.mismatch);

        // running it again finds nothing to do
        expect(await rotate(new DataCipher(keyB))).toMatchObject({ mode: 'rotate', docsRewritten: 0, textsRewritten: 0 });
      });

      it('refuses to rotate with keys that do not open the data, and changes nothing', async () => {
        const a = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        const filled = await fill(encrypted(a!).docs, encrypted(a!).rooms, 'kept');
        const before = await f.docs.loadDoc(filled.shared);
        expect(await rejection(rotate(new DataCipher(keyC, keyB)))).toBe(dataKeyMessages.mismatchEither);
        expect(await f.docs.loadDoc(filled.shared)).toEqual(before);
        await expectReadable(encrypted(a!).docs, encrypted(a!).rooms, filled);
      });
    });
  });
}

import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '@parley/server/store/doc-store';
import { DataCipher, SEALED_TEXT_PREFIX, sealContext } from '@parley/server/store/encrypted/cipher';
import { EncryptedDocStore } from '@parley/server/store/encrypted/doc-store';
import { DataKeyError, dataKeyMessages, verifyDataKey } from '@parley/server/store/encrypted/key-check';
import { EncryptedRoomStore } from '@parley/server/store/encrypted/room-store';
import { EncryptedWorkshopStore } from '@parley/server/store/encrypted/workshop-store';
import { reencryptEverything } from '@parley/server/store/encrypted/rotate';
import type { EncryptionStore, StoredText } from '@parley/server/store/encryption-store';
import type { ParticipantRecord, RoomRecord, RoomStore } from '@parley/server/store/room-store';
import type { WorkshopRecord, WorkshopStore } from '@parley/server/store/workshop-store';
import { mergeWithGc } from '@parley/server/yjs/doc-writes';

export interface EncryptionStoreFixture {
  /** the plain stores over one empty database */
  docs: DocStore;
  rooms: RoomStore;
  workshops: WorkshopStore;
  encryption: EncryptionStore;
  /** Writes a doc row for a room without a row, as versions before the erasing mark could leave one. */
  insertOrphan: (docName: string, update: Uint8Array) => Promise<void>;
  cleanup: () => Promise<void>;
}

/** The stores the server reads and writes through. */
interface Stores {
  docs: DocStore;
  rooms: RoomStore;
  workshops: WorkshopStore;
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
    sealed: false,
  };
  const person = (seat: 'a' | 'b'): ParticipantRecord => ({
    id: newId(),
    roomId: id,
    seat,
    displayName: `${secret} ${seat}`,
    tokenHash: sha256(newId()),
    createdAt: T0,
    publicKey: null,
    binding: null,
  });
  return { room, creator: person('a'), joiner: person('b'), inviteHash: sha256(newId()) };
}

function workshopWith(secret: string, message: string | null = null): WorkshopRecord {
  return {
    id: newId(),
    title: `${secret} workshop`,
    facilitatorName: `${secret} facilitator`,
    facilitatorHash: sha256(newId()),
    joinCode: newId().slice(0, 6),
    templateId: 'default',
    templateVersion: 1,
    lockSections: false,
    unlocked: [],
    timerEndsAt: null,
    message: message === null ? null : { message, at: T0 },
    createdAt: T0,
    endedAt: null,
  };
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

/**
 * A room with names, a title, a compacted doc with a later edit and an uncompacted doc, and a
 * workshop (title, facilitator name, a broadcast message sent after its creation).
 */
async function fill({ docs, rooms, workshops }: Stores, secret: string) {
  const f = roomWith(secret);
  const workshop = workshopWith(secret);
  expect(await workshops.createWorkshop(workshop)).toBe('ok');
  const message = { message: `${secret} message`, at: T0 + 1 };
  await workshops.updateWorkshop(workshop.id, { message });
  await rooms.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: [] });
  expect(await rooms.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
  const shared = `${f.room.id}/shared`;
  const priv = `${f.room.id}/private/${f.creator.id}`;
  const sharedEdits = edits([`${secret} one `, `${secret} two `, `${secret} three`]);
  await docs.appendUpdates(sharedEdits.slice(0, 2).map((update) => ({ docName: shared, update })));
  await docs.compactDoc(shared, mergeWithGc);
  await docs.appendUpdates([{ docName: shared, update: sharedEdits[2]! }]);
  await docs.appendUpdates(edits([`${secret} private`]).map((update) => ({ docName: priv, update })));
  return {
    ...f,
    workshop: { ...workshop, message },
    shared,
    priv,
    sharedText: `${secret} one ${secret} two ${secret} three`,
    privText: `${secret} private`,
  };
}

type Filled = Awaited<ReturnType<typeof fill>>;

async function expectReadable({ docs, rooms, workshops }: Stores, f: Filled): Promise<void> {
  expect(textOf(await docs.loadDoc(f.shared))).toBe(f.sharedText);
  expect(textOf(await docs.loadDoc(f.priv))).toBe(f.privText);
  expect((await rooms.getRoom(f.room.id))?.title).toBe(f.room.title);
  expect((await rooms.listParticipants(f.room.id)).map((p) => p.displayName)).toEqual([f.creator.displayName, f.joiner.displayName]);
  expect((await rooms.findParticipantByTokenHash(f.joiner.tokenHash))?.displayName).toBe(f.joiner.displayName);
  expect(await workshops.getWorkshop(f.workshop.id)).toMatchObject({ title: f.workshop.title, facilitatorName: f.workshop.facilitatorName, message: f.workshop.message });
  expect((await workshops.findByJoinCode(f.workshop.joinCode))?.title).toBe(f.workshop.title);
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
    const encrypted = (cipher: DataCipher): Stores => ({
      docs: new EncryptedDocStore(f.docs, cipher),
      rooms: new EncryptedRoomStore(f.rooms, cipher),
      workshops: new EncryptedWorkshopStore(f.workshops, cipher),
    });

    it('EC1 keeps one key check: insert only if none, replace on rotation', async () => {
      expect(await f.encryption.readKeyCheck()).toBeNull();
      expect(await f.encryption.insertKeyCheck(new Uint8Array([1, 2]), T0)).toBe(true);
      expect(await f.encryption.insertKeyCheck(new Uint8Array([3]), T0)).toBe(false);
      expect(Buffer.from((await f.encryption.readKeyCheck())!)).toEqual(Buffer.from([1, 2]));
      await f.encryption.replaceKeyCheck(new Uint8Array([4]), T0);
      expect(Buffer.from((await f.encryption.readKeyCheck())!)).toEqual(Buffer.from([4]));
    });

    it('EC2 hasContent: false when empty, true with a room, a workshop or a doc alone', async () => {
      expect(await f.encryption.hasContent()).toBe(false);
      await f.insertOrphan('room-x/shared', new Uint8Array([0, 0])); // a doc alone: its room has no row
      expect(await f.encryption.hasContent()).toBe(true);
      await f.docs.deleteRoomDocs('room-x');
      expect(await f.encryption.hasContent()).toBe(false);
      const r = roomWith('n');
      await f.rooms.createRoom({ room: r.room, creator: r.creator, inviteHash: r.inviteHash, sections: [] });
      expect(await f.encryption.hasContent()).toBe(true);
    });

    it('EC3 hasContent: a workshop alone is content', async () => {
      await f.workshops.createWorkshop(workshopWith('alone'));
      expect(await f.encryption.hasContent()).toBe(true);
    });

    it('EC4 lists every doc once (snapshot, log or both) and every title, display name and workshop text', async () => {
      const filled = await fill(f, 'list');
      await f.insertOrphan('other/shared', new Uint8Array([0, 0]));
      expect(await f.encryption.listDocNames()).toEqual([filled.priv, filled.shared, 'other/shared'].sort());
      const untitled = roomWith('untitled');
      await f.rooms.createRoom({ room: { ...untitled.room, title: null }, creator: untitled.creator, inviteHash: untitled.inviteHash, sections: [] });
      const silent = workshopWith('silent');
      await f.workshops.createWorkshop(silent);
      const texts = await f.encryption.listTexts();
      expect(texts).toHaveLength(9);
      expect(texts).toEqual(
        expect.arrayContaining([
          { field: 'room.title', id: filled.room.id, value: 'list title' },
          { field: 'participant.displayName', id: filled.creator.id, value: 'list a' },
          { field: 'participant.displayName', id: filled.joiner.id, value: 'list b' },
          { field: 'participant.displayName', id: untitled.creator.id, value: 'untitled a' },
          { field: 'workshop.title', id: filled.workshop.id, value: 'list workshop' },
          { field: 'workshop.facilitatorName', id: filled.workshop.id, value: 'list facilitator' },
          { field: 'workshop.message', id: filled.workshop.id, value: 'list message' },
          { field: 'workshop.title', id: silent.id, value: 'silent workshop' },
          { field: 'workshop.facilitatorName', id: silent.id, value: 'silent facilitator' },
        ]),
      );
    });

    it('EC5 replaceText changes a text only if it still holds the value read', async () => {
      const r = roomWith('old');
      await f.rooms.createRoom({ room: r.room, creator: r.creator, inviteHash: r.inviteHash, sections: [] });
      const name = { field: 'participant.displayName', id: r.creator.id, value: 'old a' } as const;
      expect(await f.encryption.replaceText(name, 'new a')).toBe(true);
      expect(await f.encryption.replaceText(name, 'lost')).toBe(false);
      expect((await f.rooms.listParticipants(r.room.id))[0]?.displayName).toBe('new a');
      const title = { field: 'room.title', id: r.room.id, value: 'old title' } as const;
      expect(await f.encryption.replaceText(title, 'new title')).toBe(true);
      expect((await f.rooms.getRoom(r.room.id))?.title).toBe('new title');

      const w = workshopWith('old', 'old message');
      await f.workshops.createWorkshop(w);
      const workshopTexts: StoredText[] = [
        { field: 'workshop.title', id: w.id, value: 'old workshop' },
        { field: 'workshop.facilitatorName', id: w.id, value: 'old facilitator' },
        { field: 'workshop.message', id: w.id, value: 'old message' },
      ];
      for (const text of workshopTexts) {
        expect(await f.encryption.replaceText(text, `new ${text.field}`), text.field).toBe(true);
        expect(await f.encryption.replaceText(text, 'lost'), text.field).toBe(false);
      }
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({
        title: 'new workshop.title',
        facilitatorName: 'new workshop.facilitatorName',
        message: { message: 'new workshop.message', at: T0 },
      });
    });

    it('EC6 hasPlainText: true while any title, name or workshop text lacks the sealed prefix', async () => {
      const cipher = new DataCipher(keyA);
      await fill(encrypted(cipher), 'sealed');
      expect(await f.encryption.hasPlainText(SEALED_TEXT_PREFIX)).toBe(false);
      const plain = workshopWith('plain', 'plain message');
      await f.workshops.createWorkshop({
        ...plain,
        title: cipher.sealText(plain.title, sealContext.workshopTitle(plain.id)),
        facilitatorName: cipher.sealText(plain.facilitatorName, sealContext.facilitatorName(plain.id)),
      });
      expect(await f.encryption.hasPlainText(SEALED_TEXT_PREFIX)).toBe(true); // the message alone
      await f.workshops.updateWorkshop(plain.id, { message: null });
      expect(await f.encryption.hasPlainText(SEALED_TEXT_PREFIX)).toBe(false);
      const r = roomWith('plain');
      await f.rooms.createRoom({ room: { ...r.room, title: null }, creator: r.creator, inviteHash: r.inviteHash, sections: [] });
      expect(await f.encryption.hasPlainText(SEALED_TEXT_PREFIX)).toBe(true);
    });

    describe('start-up key check (verifyDataKey)', () => {
      it('EC7 no DATA_KEY on unencrypted data: runs unencrypted and writes nothing', async () => {
        expect(await verifyDataKey(f.encryption, { current: null, previous: null }, now)).toBeNull();
        expect(await f.encryption.readKeyCheck()).toBeNull();
      });

      it('EC8 a fresh database takes the key; the same key passes again, a wrong one or none fails clearly', async () => {
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        expect(cipher).not.toBeNull();
        expect(await f.encryption.readKeyCheck()).not.toBeNull();
        await fill(encrypted(cipher!), 'kept');
        const before = await f.docs.loadDoc((await f.encryption.listDocNames())[0]!);

        expect(await verifyDataKey(f.encryption, { current: keyA, previous: null }, now)).not.toBeNull();
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: null }, now))).toBe(dataKeyMessages.mismatch);
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: keyC }, now))).toBe(dataKeyMessages.mismatchEither);
        expect(await rejection(verifyDataKey(f.encryption, { current: null, previous: null }, now))).toBe(dataKeyMessages.missing);
        // the failed starts changed nothing
        expect(await f.docs.loadDoc((await f.encryption.listDocNames())[0]!)).toEqual(before);
        expect(await verifyDataKey(f.encryption, { current: keyA, previous: null }, now)).not.toBeNull();
      });

      it('EC9 during a rotation the new key passes with the old one as previous', async () => {
        await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        expect(await verifyDataKey(f.encryption, { current: keyB, previous: keyA }, now)).not.toBeNull();
        expect(await rejection(verifyDataKey(f.encryption, { current: keyB, previous: null }, now))).toBe(dataKeyMessages.mismatch);
      });

      it('EC10 a key on unencrypted content is refused, pointing to rotate-key, and no key check is written', async () => {
        await fill(f, 'plain');
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

      it('EC11 encrypts data that was never encrypted, after which only that key reads it', async () => {
        const filled = await fill(f, 'CANARY-enc');
        const report = await rotate(new DataCipher(keyA));
        expect(report).toEqual({ mode: 'encrypt', docs: 2, docsRewritten: 2, texts: 6, textsRewritten: 6 });
        await expectAllSealedWith(new DataCipher(keyA), 'CANARY-enc');
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        await expectReadable(encrypted(cipher!), filled);
        // each doc is one snapshot now
        expect(await f.docs.loadDoc(filled.shared)).toHaveLength(1);
      });

      it('EC12 erases docs whose room has no row instead of encrypting them', async () => {
        const filled = await fill(f, 'CANARY-orphan');
        await f.insertOrphan('gone-room/shared', edits(['CANARY-orphan left behind'])[0]!);
        const report = await rotate(new DataCipher(keyA));
        expect(report).toMatchObject({ mode: 'encrypt', docs: 2, docsRewritten: 2 });
        expect(await f.docs.loadDoc('gone-room/shared')).toEqual([]);
        await expectAllSealedWith(new DataCipher(keyA), 'CANARY-orphan');
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        await expectReadable(encrypted(cipher!), filled);
      });

      it('EC13 picks up a first encryption that stopped half-way', async () => {
        const done = await fill(f, 'CANARY-half');
        const pending = await fill(f, 'CANARY-half');
        // as if a run sealed one room's docs and names, then crashed
        const cipher = new DataCipher(keyA);
        for (const docName of [done.shared, done.priv]) {
          await f.docs.appendUpdates([{ docName, update: new Uint8Array([0, 0]) }]);
          await f.docs.compactDoc(docName, (updates) => cipher.seal(mergeWithGc(updates), sealContext.doc(docName)));
        }
        for (const text of await f.encryption.listTexts()) {
          if (text.id === done.creator.id) await f.encryption.replaceText(text, cipher.sealText(text.value, sealContext.displayName(text.id)));
          if (text.id === done.workshop.id && text.field === 'workshop.title') {
            await f.encryption.replaceText(text, cipher.sealText(text.value, sealContext.workshopTitle(text.id)));
          }
        }

        const report = await rotate(new DataCipher(keyA));
        expect(report).toMatchObject({ mode: 'encrypt', docs: 4, docsRewritten: 2, texts: 12, textsRewritten: 10 });
        await expectAllSealedWith(cipher, 'CANARY-half');
        const stores = encrypted(cipher);
        await expectReadable(stores, done);
        await expectReadable(stores, pending);
      });

      it('EC14 rotates from key A to key B; afterwards B alone reads everything and A is refused', async () => {
        const a = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        const filled = await fill(encrypted(a!), 'CANARY-rot');
        // the server restarted with B and A as previous writes with B meanwhile
        const during = await verifyDataKey(f.encryption, { current: keyB, previous: keyA }, now);
        const late = edits(['late']);
        await encrypted(during!).docs.appendUpdates([{ docName: `${filled.room.id}/late`, update: late[0]! }]);
        const lateMessage = { message: 'CANARY-rot late message', at: T0 + 2 };
        await encrypted(during!).workshops.updateWorkshop(filled.workshop.id, { message: lateMessage });

        const report = await rotate(new DataCipher(keyB, keyA));
        expect(report).toMatchObject({ mode: 'rotate', docs: 3, docsRewritten: 2, texts: 6, textsRewritten: 5 });
        await expectAllSealedWith(new DataCipher(keyB), 'CANARY-rot');

        const b = await verifyDataKey(f.encryption, { current: keyB, previous: null }, now);
        await expectReadable(encrypted(b!), { ...filled, workshop: { ...filled.workshop, message: lateMessage } });
        expect(textOf(await encrypted(b!).docs.loadDoc(`${filled.room.id}/late`))).toBe('late');
        expect(await rejection(verifyDataKey(f.encryption, { current: keyA, previous: null }, now))).toBe(dataKeyMessages.mismatch);

        // running it again finds nothing to do
        expect(await rotate(new DataCipher(keyB))).toMatchObject({ mode: 'rotate', docsRewritten: 0, textsRewritten: 0 });
      });

      it('EC15 encrypted data with workshops stored before workshop texts were encrypted: start-up refuses until rotate-key seals them', async () => {
        const a = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        // rooms and docs through the key, the workshop as the earlier version wrote it
        const filled = await fill({ ...encrypted(a!), workshops: f.workshops }, 'CANARY-legacy');
        expect(await rejection(verifyDataKey(f.encryption, { current: keyA, previous: null }, now))).toBe(dataKeyMessages.plaintext);

        const report = await rotate(new DataCipher(keyA));
        expect(report).toMatchObject({ mode: 'rotate', docsRewritten: 0, texts: 6, textsRewritten: 3 });
        await expectAllSealedWith(new DataCipher(keyA), 'CANARY-legacy');
        const cipher = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        await expectReadable(encrypted(cipher!), filled);
      });

      it('EC16 refuses to rotate with keys that do not open the data, and changes nothing', async () => {
        const a = await verifyDataKey(f.encryption, { current: keyA, previous: null }, now);
        const filled = await fill(encrypted(a!), 'kept');
        const before = await f.docs.loadDoc(filled.shared);
        expect(await rejection(rotate(new DataCipher(keyC, keyB)))).toBe(dataKeyMessages.mismatchEither);
        expect(await f.docs.loadDoc(filled.shared)).toEqual(before);
        await expectReadable(encrypted(a!), filled);
      });
    });
  });
}

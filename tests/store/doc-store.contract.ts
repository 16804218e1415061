import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocLog, DocStore, DocUpdate } from '@parley/server/store/doc-store';
import type { RoomStore } from '@parley/server/store/room-store';
import { createRoomRow } from '../helpers/room-rows';

export interface DocStoreFixture {
  store: DocStore;
  /** the room store over the same storage: docs are stored only for rooms that have a row */
  rooms: RoomStore;
  /** Writes a doc row for a room without a row, as versions before the erasing mark could leave one. */
  insertOrphan: (docName: string, update: Uint8Array) => Promise<void>;
  /** Closes the store and opens a new one over the same storage (durability checks). */
  reopen?: () => Promise<DocStore>;
  /** Closes whatever store is open and removes its storage. */
  cleanup: () => Promise<void>;
}

/** A Y.Doc whose every edit is captured as the update a provider would send. */
function recordingDoc() {
  const doc = new Y.Doc();
  const pending: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => pending.push(update));
  return {
    doc,
    text: doc.getText('t'),
    map: doc.getMap<string>('m'),
    /** the updates produced since the last call */
    take: (): Uint8Array[] => pending.splice(0),
  };
}

function contentOf(updates: Uint8Array[]) {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return { text: doc.getText('t').toString(), map: doc.getMap('m').toJSON() };
}

const contentOfDoc = (doc: Y.Doc) => ({ text: doc.getText('t').toString(), map: doc.getMap('m').toJSON() });

const bytes = (text: string) => new TextEncoder().encode(text);
const textOf = (data: Uint8Array) => new TextDecoder().decode(data);
/** A sealed doc's entry as `appendUpdates` takes it, with the slot its position is written to. */
const loggedEntry = (docName: string, text: string): DocUpdate & { logged: { position: number } } => ({ docName, update: bytes(text), logged: { position: -1 } });
/** What a client starting at `after` would be sent, as text. */
const readable = (log: DocLog) => ({
  snapshot: log.snapshot ? [log.snapshot.position, textOf(log.snapshot.data)] : null,
  entries: log.entries.map((entry) => [entry.position, textOf(entry.data)]),
  last: log.last,
});

/** The rooms the tests write docs of; each test starts with their rows (and no docs). */
const ROOMS = ['room-aaaaaa', 'room-bbbbbb', 'room-cccccc', 'room-dddddd', 'room-eeeeee', 'room-ffffff', 'room-gggggg', 'ab', 'abc', 'room_1', 'roomX1'];

/**
 * What every DocStore (SQLite, Postgres) must do. `setup` is called before each test and
 * must hand out an empty store.
 */
export function describeDocStoreContract(name: string, setup: () => Promise<DocStoreFixture>): void {
  describe(`DocStore contract: ${name}`, () => {
    let fixture: DocStoreFixture;
    let store: DocStore;

    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
      for (const roomId of ROOMS) await createRoomRow(fixture.rooms, roomId);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('DS1 answers an empty list and no pending updates for an unknown doc', async () => {
      expect(await store.loadDoc('nope-room-1/shared')).toEqual([]);
      expect(await store.pendingUpdateCount('nope-room-1/shared')).toBe(0);
    });

    it('DS2 accepts an empty batch', async () => {
      await expect(store.appendUpdates([])).resolves.toEqual({ refused: [] });
    });

    it('DS3 stores a doc edited in steps and loads it back in order', async () => {
      const editor = recordingDoc();
      const docName = 'room-aaaaaa/shared';
      editor.text.insert(0, 'hello');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      editor.text.insert(5, ' world');
      editor.map.set('agreement', 'draft');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      editor.text.delete(0, 6);
      editor.map.set('agreement', 'final');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));

      const loaded = await store.loadDoc(docName);
      expect(loaded).toHaveLength(5);
      expect(contentOf(loaded)).toEqual({ text: 'world', map: { agreement: 'final' } });
      expect(await store.pendingUpdateCount(docName)).toBe(5);
    });

    it('DS4 stores a batch that spans several docs in one call', async () => {
      const privateA = recordingDoc();
      const shared = recordingDoc();
      privateA.map.set('q1', 'yes');
      const [q1] = privateA.take();
      shared.text.insert(0, 'notes');
      privateA.map.set('q2', 'no');
      const [q2] = privateA.take();
      await store.appendUpdates([
        { docName: 'room-bbbbbb/private/pa', update: q1! },
        { docName: 'room-bbbbbb/shared', update: shared.take()[0]! },
        { docName: 'room-bbbbbb/private/pa', update: q2! },
      ]);

      expect(contentOf(await store.loadDoc('room-bbbbbb/private/pa')).map).toEqual({ q1: 'yes', q2: 'no' });
      expect(contentOf(await store.loadDoc('room-bbbbbb/shared')).text).toBe('notes');
      expect(await store.pendingUpdateCount('room-bbbbbb/private/pa')).toBe(2);
    });

    it('DS5 compaction keeps the content and leaves no pending update', async () => {
      const editor = recordingDoc();
      const docName = 'room-cccccc/shared';
      for (const word of ['one ', 'two ', 'three ']) {
        editor.text.insert(editor.text.length, word);
        await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      }
      let mergeInput: Uint8Array[] = [];
      const before = await store.loadDoc(docName);
      await store.compactDoc(docName, (updates) => {
        mergeInput = updates;
        return Y.mergeUpdates(updates);
      });

      // merge receives what loadDoc returns
      expect(mergeInput.map((u) => Buffer.from(u).toString('hex'))).toEqual(
        before.map((u) => Buffer.from(u).toString('hex')),
      );
      expect(await store.pendingUpdateCount(docName)).toBe(0);
      const after = await store.loadDoc(docName);
      expect(after).toHaveLength(1);
      expect(contentOf(after)).toEqual(contentOfDoc(editor.doc));

      // later edits land after the snapshot, and a second compaction folds them in
      editor.text.insert(0, 'zero ');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      expect(await store.pendingUpdateCount(docName)).toBe(1);
      expect(contentOf(await store.loadDoc(docName)).text).toBe('zero one two three ');
      await store.compactDoc(docName, Y.mergeUpdates);
      expect(await store.loadDoc(docName)).toHaveLength(1);
      expect(contentOf(await store.loadDoc(docName)).text).toBe('zero one two three ');
    });

    it('DS6 compaction keeps updates appended while it was merging', async () => {
      const editor = recordingDoc();
      const docName = 'room-dddddd/shared';
      editor.text.insert(0, 'before');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      editor.text.insert(6, ' during');
      const late = editor.take().map((update) => ({ docName, update }));

      let lateWrite: Promise<unknown> = Promise.resolve();
      await store.compactDoc(docName, (updates) => {
        lateWrite = store.appendUpdates(late);
        return Y.mergeUpdates(updates);
      });
      await lateWrite;

      expect(contentOf(await store.loadDoc(docName)).text).toBe('before during');
      expect(await store.pendingUpdateCount(docName)).toBe(1);
    });

    it('DS7 compacting an unknown doc changes nothing', async () => {
      await store.compactDoc('room-eeeeee/shared', Y.mergeUpdates);
      expect(await store.loadDoc('room-eeeeee/shared')).toEqual([]);
    });

    it('DS8 deleteRoomDocs erases only that room, even when ids share a prefix', async () => {
      // "ab" is a prefix of "abc"; "room_1" matches "roomX1" under LIKE's `_` wildcard.
      const rooms = ['ab', 'abc', 'room_1', 'roomX1'];
      const editor = recordingDoc();
      editor.text.insert(0, 'kept');
      const [update] = editor.take();
      for (const roomId of rooms) {
        await store.appendUpdates([
          { docName: `${roomId}/shared`, update: update! },
          { docName: `${roomId}/private/p1`, update: update! },
        ]);
        await store.compactDoc(`${roomId}/shared`, Y.mergeUpdates);
      }

      await store.deleteRoomDocs('ab');
      await store.deleteRoomDocs('room_1');

      for (const gone of ['ab', 'room_1']) {
        expect(await store.loadDoc(`${gone}/shared`)).toEqual([]);
        expect(await store.loadDoc(`${gone}/private/p1`)).toEqual([]);
        expect(await store.pendingUpdateCount(`${gone}/private/p1`)).toBe(0);
      }
      for (const kept of ['abc', 'roomX1']) {
        expect(contentOf(await store.loadDoc(`${kept}/shared`)).text).toBe('kept');
        expect(contentOf(await store.loadDoc(`${kept}/private/p1`)).text).toBe('kept');
      }
    });

    it('DS9 a deleted room can be written again from scratch', async () => {
      const first = recordingDoc();
      first.text.insert(0, 'old');
      await store.appendUpdates([{ docName: 'room-ffffff/shared', update: first.take()[0]! }]);
      await store.compactDoc('room-ffffff/shared', Y.mergeUpdates);
      await store.deleteRoomDocs('room-ffffff');

      const second = recordingDoc();
      second.text.insert(0, 'new');
      await store.appendUpdates([{ docName: 'room-ffffff/shared', update: second.take()[0]! }]);
      expect(contentOf(await store.loadDoc('room-ffffff/shared')).text).toBe('new');
    });

    it('DS10 stores nothing of a room without a row or one being erased, and the rest of the batch all the same', async () => {
      const editor = recordingDoc();
      editor.text.insert(0, 'secret');
      const [update] = editor.take();
      expect(await fixture.rooms.markErasing('room-bbbbbb', 2)).toBe(true);
      const result = await store.appendUpdates([
        { docName: 'room-aaaaaa/shared', update: update! },
        { docName: 'room-nnnnnn/shared', update: update! }, // no row
        { docName: 'room-bbbbbb/shared', update: update! }, // being erased
        { docName: 'room-bbbbbb/private/pa', update: update! },
        { docName: 'room-aaaaaa/private/pa', update: update! },
        { docName: 'room-nnnnnn/shared', update: update! },
      ]);

      expect([...result.refused].sort()).toEqual(['room-bbbbbb/private/pa', 'room-bbbbbb/shared', 'room-nnnnnn/shared']);
      for (const gone of ['room-nnnnnn/shared', 'room-bbbbbb/shared', 'room-bbbbbb/private/pa']) {
        expect(await store.loadDoc(gone)).toEqual([]);
      }
      expect(contentOf(await store.loadDoc('room-aaaaaa/shared')).text).toBe('secret');
      expect(contentOf(await store.loadDoc('room-aaaaaa/private/pa')).text).toBe('secret');
      // the mark lifted, the room takes writes again
      await fixture.rooms.clearErasing('room-bbbbbb');
      expect(await store.appendUpdates([{ docName: 'room-bbbbbb/shared', update: update! }])).toEqual({ refused: [] });
      expect(contentOf(await store.loadDoc('room-bbbbbb/shared')).text).toBe('secret');
    });

    it('DS11 compaction writes no snapshot for a room being erased', async () => {
      const editor = recordingDoc();
      const docName = 'room-cccccc/shared';
      editor.text.insert(0, 'one ');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      await store.compactDoc(docName, Y.mergeUpdates);
      editor.text.insert(4, 'two');
      await store.appendUpdates(editor.take().map((update) => ({ docName, update })));
      const before = await store.loadDoc(docName);
      expect(before).toHaveLength(2);

      await fixture.rooms.markErasing('room-cccccc', 2);
      await store.compactDoc(docName, Y.mergeUpdates);
      // the log is as it was: no new snapshot, and the update it would have folded in is still there
      expect((await store.loadDoc(docName)).map((u) => Buffer.from(u).toString('hex'))).toEqual(before.map((u) => Buffer.from(u).toString('hex')));
      expect(await store.pendingUpdateCount(docName)).toBe(1);
    });

    it('DS12 deleteOrphanDocs erases the docs of rooms that have no row, and only those', async () => {
      const editor = recordingDoc();
      editor.text.insert(0, 'kept');
      const [update] = editor.take();
      await store.appendUpdates([{ docName: 'room-dddddd/shared', update: update! }]);
      await store.compactDoc('room-dddddd/shared', Y.mergeUpdates);
      await store.appendUpdates([{ docName: 'room-dddddd/shared', update: update! }]);
      await fixture.insertOrphan('orphan-1/shared', update!);
      await fixture.insertOrphan('orphan-1/private/p1', update!);
      await fixture.insertOrphan('room-dddddd2/shared', update!); // starts like a live room's id: matched exactly, never as a prefix
      expect(contentOf(await store.loadDoc('orphan-1/shared')).text).toBe('kept');

      expect(await store.deleteOrphanDocs()).toBe(3);
      for (const gone of ['orphan-1/shared', 'orphan-1/private/p1', 'room-dddddd2/shared']) {
        expect(await store.loadDoc(gone)).toEqual([]);
      }
      expect(await store.loadDoc('room-dddddd/shared')).toHaveLength(2);
      expect(await store.deleteOrphanDocs()).toBe(0);
    });

    it('DS13 ping answers while the store is open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('DS15 sealed entries get their doc\'s next position in commit order, and a client at a position gets only what follows', async () => {
      const shared = 'room-aaaaaa/shared';
      const other = 'room-aaaaaa/private/pa';
      const first = [loggedEntry(shared, 'one'), loggedEntry(other, 'x'), loggedEntry(shared, 'two')];
      expect(await store.appendUpdates(first)).toEqual({ refused: [] });
      const single = loggedEntry(shared, 'three');
      await store.appendUpdates([single]);
      // positions count per doc: the other doc's entry does not take one of the shared doc's
      expect([...first, single].map((e) => e.logged.position)).toEqual([1, 1, 2, 3]);

      expect(readable(await store.loadLog(shared, 0))).toEqual({ snapshot: null, entries: [[1, 'one'], [2, 'two'], [3, 'three']], last: 3 });
      expect(readable(await store.loadLog(shared, 2))).toEqual({ snapshot: null, entries: [[3, 'three']], last: 3 });
      expect(readable(await store.loadLog(shared, 3))).toEqual({ snapshot: null, entries: [], last: 3 });
      expect(readable(await store.loadLog('room-aaaaaa/private/zz', 0))).toEqual({ snapshot: null, entries: [], last: 0 });
      // loadDoc reads the same log
      expect((await store.loadDoc(shared)).map(textOf)).toEqual(['one', 'two', 'three']);
    });

    it('DS16 replaceUpTo swaps the snapshot and the entries up to P for the client\'s snapshot, and keeps every entry after P', async () => {
      const docName = 'room-bbbbbb/shared';
      await store.appendUpdates(['e1', 'e2', 'e3', 'e4', 'e5'].map((text) => loggedEntry(docName, text)));
      expect(await store.replaceUpTo(docName, 3, bytes('snap@3'))).toBe('replaced');

      expect(readable(await store.loadLog(docName, 0))).toEqual({ snapshot: [3, 'snap@3'], entries: [[4, 'e4'], [5, 'e5']], last: 5 });
      // a client that already has 3 or more needs no snapshot
      expect(readable(await store.loadLog(docName, 4))).toEqual({ snapshot: null, entries: [[5, 'e5']], last: 5 });
      expect(readable(await store.loadLog(docName, 2))).toEqual({ snapshot: [3, 'snap@3'], entries: [[4, 'e4'], [5, 'e5']], last: 5 });
      expect((await store.loadDoc(docName)).map(textOf)).toEqual(['snap@3', 'e4', 'e5']);
      expect(await store.pendingUpdateCount(docName)).toBe(2);

      // appends continue after the last position; a second snapshot covering everything leaves only it
      const next = loggedEntry(docName, 'e6');
      await store.appendUpdates([next]);
      expect(next.logged.position).toBe(6);
      expect(await store.replaceUpTo(docName, 6, bytes('snap@6'))).toBe('replaced');
      expect(readable(await store.loadLog(docName, 0))).toEqual({ snapshot: [6, 'snap@6'], entries: [], last: 6 });
      const after = loggedEntry(docName, 'e7');
      await store.appendUpdates([after]);
      expect(after.logged.position).toBe(7); // never back: nothing after a snapshot is taken for part of it
      expect(readable(await store.loadLog(docName, 0))).toEqual({ snapshot: [6, 'snap@6'], entries: [[7, 'e7']], last: 7 });
    });

    it('DS17 an entry appended while a snapshot replaces the log is not lost', async () => {
      const docName = 'room-cccccc/shared';
      await store.appendUpdates(['a', 'b'].map((text) => loggedEntry(docName, text)));
      for (let round = 0; round < 5; round++) {
        const { last } = await store.loadLog(docName, 0);
        const late = loggedEntry(docName, `late ${round}`);
        const [outcome] = await Promise.all([store.replaceUpTo(docName, last, bytes(`snap ${round}`)), store.appendUpdates([late])]);
        expect(outcome).toBe('replaced');
        const log = readable(await store.loadLog(docName, 0));
        expect(log.snapshot).toEqual([last, `snap ${round}`]);
        // whichever committed first, the late entry is after the snapshot, at its own position
        expect(log.entries).toEqual([[late.logged.position, `late ${round}`]]);
        expect(late.logged.position).toBeGreaterThan(last);
      }
    });

    it('DS18 replaceUpTo refuses a room without a row or being erased, a snapshot behind the stored one and a position past the log, and changes nothing', async () => {
      const docName = 'room-dddddd/shared';
      await store.appendUpdates(['a', 'b', 'c'].map((text) => loggedEntry(docName, text)));
      expect(await store.replaceUpTo(docName, 2, bytes('snap@2'))).toBe('replaced');
      const before = readable(await store.loadLog(docName, 0));

      expect(await store.replaceUpTo(docName, 1, bytes('older'))).toBe('behind');
      expect(await store.replaceUpTo(docName, 4, bytes('ahead'))).toBe('ahead');
      expect(await store.replaceUpTo('room-nnnnnn/shared', 0, bytes('no row'))).toBe('refused');
      await fixture.rooms.markErasing('room-dddddd', 2);
      expect(await store.replaceUpTo(docName, 3, bytes('while erasing'))).toBe('refused');
      const refused = loggedEntry(docName, 'd');
      expect(await store.appendUpdates([refused])).toEqual({ refused: [docName] });
      await fixture.rooms.clearErasing('room-dddddd');

      expect(readable(await store.loadLog(docName, 0))).toEqual(before);
      expect(await store.loadLog('room-nnnnnn/shared', 0)).toEqual({ snapshot: null, entries: [], last: 0 });
      // and erasing the room takes the sealed log with it
      await store.deleteRoomDocs('room-dddddd');
      expect(await store.loadLog(docName, 0)).toEqual({ snapshot: null, entries: [], last: 0 });
    });

    it('DS20 rewriteLog replaces the bytes of exactly the rows it is given new bytes for, snapshot included, and keeps every position', async () => {
      const docName = 'room-ffffff/shared';
      await store.appendUpdates(['a', 'b', 'c', 'd'].map((text) => loggedEntry(docName, text)));
      expect(await store.replaceUpTo(docName, 2, bytes('snap@2'))).toBe('replaced');
      const before = readable(await store.loadLog(docName, 0));
      const upper = (data: Uint8Array) => (['snap@2', 'c'].includes(textOf(data)) ? bytes(textOf(data).toUpperCase()) : null);
      expect(await store.rewriteLog(docName, upper)).toBe(2);
      const after = readable(await store.loadLog(docName, 0));
      expect(after).toEqual({ snapshot: [2, 'SNAP@2'], entries: [[3, 'C'], [4, 'd']], last: 4 });
      expect(after.last).toBe(before.last);
      // other docs untouched, and a later append continues the positions
      expect(await store.rewriteLog('room-ffffff/private/pa', upper)).toBe(0);
      const next = loggedEntry(docName, 'e');
      await store.appendUpdates([next]);
      expect(next.logged.position).toBe(5);
    });

    it('DS19 a sealed snapshot and the entries after it survive a reopen', async ({ skip }) => {
      if (!fixture.reopen) skip('store has no reopen');
      const docName = 'room-eeeeee/private/pa';
      await store.appendUpdates(['a', 'b', 'c'].map((text) => loggedEntry(docName, text)));
      await store.replaceUpTo(docName, 2, bytes('snap@2'));
      store = await fixture.reopen!();
      expect(readable(await store.loadLog(docName, 0))).toEqual({ snapshot: [2, 'snap@2'], entries: [[3, 'c']], last: 3 });
      const next = loggedEntry(docName, 'd');
      await store.appendUpdates([next]);
      expect(next.logged.position).toBe(4);
    });

    it('DS14 committed updates and snapshots survive a reopen', async ({ skip }) => {
      if (!fixture.reopen) skip('store has no reopen');
      const editor = recordingDoc();
      editor.text.insert(0, 'durable');
      await store.appendUpdates(editor.take().map((update) => ({ docName: 'room-gggggg/shared', update })));
      await store.compactDoc('room-gggggg/shared', Y.mergeUpdates);
      editor.map.set('k', 'v');
      await store.appendUpdates(editor.take().map((update) => ({ docName: 'room-gggggg/shared', update })));

      store = await fixture.reopen!();
      const loaded = await store.loadDoc('room-gggggg/shared');
      expect(loaded).toHaveLength(2);
      expect(contentOf(loaded)).toEqual({ text: 'durable', map: { k: 'v' } });
      expect(await store.pendingUpdateCount('room-gggggg/shared')).toBe(1);
    });
  });
}

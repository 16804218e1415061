import { afterAll, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { DocStore, DocUpdate } from '@parley/server/store/doc-store';
import { createPair, http } from '../helpers/api';
import { connectControl, openDoc, until, type DocClient } from '../helpers/clients';
import { useServer } from '../helpers/fixtures';

/**
 * A store whose commit of the next batch holding `failDoc` is slow and then fails (a Postgres
 * connection reset, SQLITE_IOERR): the room lock is long released by then.
 */
const failing = { doc: '', armed: false };
const failOnce = (store: DocStore): DocStore =>
  Object.assign(Object.create(store) as DocStore, {
    appendUpdates: async (batch: readonly DocUpdate[]) => {
      if (failing.armed && batch.some((u) => u.docName === failing.doc)) {
        failing.armed = false;
        await new Promise((r) => setTimeout(r, 300));
        throw new Error('transient commit failure');
      }
      return store.appendUpdates(batch);
    },
  });

const server = useServer({ build: { wrapDocStore: failOnce } });
const open: DocClient[] = [];
afterAll(() => {
  for (const c of open) c.destroy();
});

describe('room doc commands and a failed commit (rooms/room-docs.ts)', () => {
  it('RD1 a command is acknowledged only if what it wrote is stored: a failed pause and the review date set behind it both fail, nobody is told of the pause, and the stored room agrees', async () => {
    const pair = await createPair(server.url);
    failing.doc = docName.room(pair.roomId);
    const a = await connectControl(server.url, pair.roomId, pair.a.token);
    const b = await connectControl(server.url, pair.roomId, pair.b.token);
    const seenByB: string[] = [];
    b.socket.on('room:paused', () => seenByB.push('room:paused'));
    try {
      failing.armed = true;
      const pause = a.send('room:pause', { paused: true, note: 'water break' });
      // The pause's commit is in flight (and will fail); the next command runs on the same doc.
      await until(() => !failing.armed, 3000, 'pause commit started');
      const date = a.send('agreement:review-date', { date: '2027-01-01' });
      const [pauseAck, dateAck] = (await Promise.all([pause, date])) as { ok: boolean; error?: { code: string } }[];
      expect(pauseAck).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(dateAck).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      // Barrier: a later command's ack arrives after any event the failed pause could have sent.
      expect(await b.send('presence:update', { focus: null })).toMatchObject({ ok: true });
      expect(seenByB).toEqual([]);

      // What is stored agrees with the acks: no pause, no date, no struct left waiting forever.
      const reader = openDoc(server.wsUrl, docName.room(pair.roomId), pair.b.token);
      open.push(reader);
      await reader.synced;
      expect(reader.doc.getMap('meta').get('paused') ?? null).toBeNull();
      expect(reader.doc.getMap('meta').get('reviewDate') ?? null).toBeNull();
      expect(reader.doc.store.pendingStructs).toBeNull();
      const view = await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token });
      expect((view.body as { paused: boolean }).paused).toBe(false);

      // And the room works again: the same pause now succeeds and reaches the partner.
      const again = b.next('room:paused');
      expect(await a.send('room:pause', { paused: true, note: 'water break' })).toMatchObject({ ok: true });
      await again;
    } finally {
      a.close();
      b.close();
    }
  });
});

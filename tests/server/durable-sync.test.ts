import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { DocStore, DocUpdate } from '@parley/server/store/doc-store';
import { createPair } from '../helpers/api';
import { openDoc, until, type DocClient } from '../helpers/clients';
import { useServer } from '../helpers/fixtures';

/**
 * Commits that wait until the test lets them through, one batch at a time: a store whose
 * commits take a while (a busy disk, a remote database), slowed down to a standstill so the
 * order of events is the test's, not the machine's.
 */
const held: { batch: readonly DocUpdate[]; release: () => void }[] = [];
let holding = false;
const gatedCommits = (store: DocStore): DocStore =>
  Object.assign(Object.create(store) as DocStore, {
    appendUpdates: async (batch: readonly DocUpdate[]) => {
      if (holding) await new Promise<void>((release) => held.push({ batch, release }));
      return store.appendUpdates(batch);
    },
  });

const server = useServer({ build: { wrapDocStore: gatedCommits } });
const open: DocClient[] = [];
afterAll(() => {
  holding = false;
  for (const h of held.splice(0)) h.release();
  for (const c of open) c.destroy();
});

const text = (c: DocClient) => c.doc.getText('notes').toString();

describe('durability before relay: sync answers (architecture: the write path)', () => {
  it('SA1 a sync answer holds only what was durable by the time it was asked for: an edit made while it waits comes later, once stored', async () => {
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const a = openDoc(server.wsUrl, name, pair.a.token);
    open.push(a);
    await a.synced;
    holding = true;

    // 1. A's first edit is applied on the server; its commit is held.
    a.doc.getText('notes').insert(0, 'FIRST ');
    await until(() => held.length === 1, 3000, 'first commit held');

    // 2. B connects: its sync step 1 has to wait for that commit.
    const b = openDoc(server.wsUrl, name, pair.b.token, { doc: new Y.Doc() });
    open.push(b);
    await until(() => (server.app.parley.hub.peek(name)?.conns.size ?? 0) === 2, 3000, 'B connected');

    // 3. While B waits, A edits again: in memory on the server, its commit queued behind the first.
    a.doc.getText('notes').insert(6, 'CANARY-NOT-YET-STORED');
    await until(() => server.app.parley.hub.peek(name)?.doc.getText('notes').toString().includes('CANARY-NOT-YET-STORED') === true, 3000, 'second edit applied');

    // 4. The first commit lands: B gets its answer. The second edit is not on disk yet.
    held.shift()?.release();
    await b.synced;
    expect(text(b)).toBe('FIRST ');
    expect(text(b)).not.toContain('CANARY-NOT-YET-STORED');

    // 5. Once stored, the second edit reaches B as an update.
    await until(() => held.length === 1, 3000, 'second commit held');
    holding = false;
    held.shift()?.release();
    await until(() => text(b) === 'FIRST CANARY-NOT-YET-STORED', 3000, 'B gets the second edit once it is stored');
  });
});

import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
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
const open: { destroy(): void }[] = [];
afterAll(() => {
  holding = false;
  for (const h of held.splice(0)) h.release();
  for (const c of open) c.destroy();
});

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

describe('durability before relay: sync answers (architecture: the write path)', () => {
  it('SA1 a sync answer holds only what was durable by the time it was asked for: an edit made while it waits comes later, once stored', async () => {
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const a: DocClient = openDoc(server.wsUrl, name, pair.a.token);
    open.push(a);
    await a.synced;
    holding = true;

    // 1. A's first edit is applied on the server; its commit is held.
    a.doc.getText('notes').insert(0, 'FIRST ');
    await until(() => held.length === 1, 3000, 'first commit held');

    // 2. B asks for a sync, right behind an awareness update: frames are handled in order, so
    //    once the server holds B's awareness, B's sync step 1 is being answered (and waits).
    const ws = new WebSocket(`${server.wsUrl}/yjs/${name}?token=${pair.b.token}`);
    open.push({ destroy: () => ws.terminate() });
    const received: Buffer[] = [];
    ws.on('message', (data) => received.push(Buffer.from(data as Buffer)));
    await new Promise<void>((resolve, reject) => (ws.on('open', () => resolve()), ws.on('error', reject)));
    const bDoc = new Y.Doc();
    const bAwareness = new Awareness(bDoc);
    bAwareness.setLocalState({ name: 'B' });
    ws.send(frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, encodeAwarenessUpdate(bAwareness, [bDoc.clientID])))));
    ws.send(frame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, bDoc))));
    await until(() => server.app.parley.hub.peek(name)?.awareness.getStates().has(bDoc.clientID) === true, 3000, 'B is being answered');
    bAwareness.destroy();

    // 3. While B's answer waits, A edits again: in memory on the server, its commit queued behind the first.
    a.doc.getText('notes').insert(6, 'CANARY-NOT-YET-STORED');
    await until(() => server.app.parley.hub.peek(name)?.doc.getText('notes').toString().includes('CANARY-NOT-YET-STORED') === true, 3000, 'second edit applied');

    // 4. The first commit lands; the second is held. B gets its answer (a sync step 2), without the second edit.
    held.shift()?.release();
    await until(() => held.length === 1, 3000, 'second commit held');
    const isStep2 = (f: Buffer) => f[0] === 0 && f[1] === syncProtocol.messageYjsSyncStep2;
    await until(() => received.some(isStep2), 3000, "B's sync answer");
    expect(received.filter(isStep2).some((f) => f.includes('FIRST'))).toBe(true);
    expect(received.some((f) => f.includes('CANARY-NOT-YET-STORED'))).toBe(false);

    // 5. Once stored, the second edit reaches B as an update.
    holding = false;
    held.shift()?.release();
    await until(() => received.some((f) => f.includes('CANARY-NOT-YET-STORED')), 3000, 'B gets the second edit once it is stored');
  });
});

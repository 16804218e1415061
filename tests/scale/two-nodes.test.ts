import { describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import { getRoom, http } from '../helpers/api';
import { openDoc, sleep, until } from '../helpers/clients';
import type { Cluster } from '../helpers/cluster';
import { useCluster, usePartners } from '../helpers/fixtures';

const STORE = (process.env.TEST_CLUSTER_STORE as 'postgres' | 'sqlite' | undefined) ?? 'postgres';
const cluster = useCluster({ nodes: 2, store: STORE });

const partners = usePartners(null);

/** A on node 1, B on node 2. */
async function split() {
  const [one, two] = cluster.nodes as [NonNullable<Cluster['nodes'][0]>, NonNullable<Cluster['nodes'][0]>];
  return { ...(await partners({ nodes: [one, two] })), one, two };
}

describe(`two nodes, one Redis, one ${STORE} store`, () => {
  it('S1 syncs the shared doc live between partners on different nodes', async () => {
    const { a, b } = await split();
    a.shared.doc.getText('notes').insert(0, 'from node one');
    await until(() => b.shared.doc.getText('notes').toString() === 'from node one', 3000, 'b sees a');
    b.shared.doc.getText('notes').insert(0, 'node two says hi; ');
    await until(() => a.shared.doc.getText('notes').toString() === 'node two says hi; from node one', 3000, 'a sees b');
  });

  it('S2 keeps answers hidden across nodes and reveals exactly once when ready marks race on different nodes (20 races)', async () => {
    const { pair, a, b, one } = await split();
    a.answer('impact_hand', { giving: 'yes', note: 'CANARY-2N-NOTE' });
    a.answer('arrival_feeling', { text: 'CANARY-2N-ARRIVAL' });
    b.answer('impact_hand', { receiving: 'yes' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => b.section('activities')?.ready.a === true, 2000, 'b sees ready');
    await b.caughtUp();
    expect(b.recorder.contains('CANARY-2N-NOTE')).toBe(false);

    let reveals = 0;
    b.control.socket.on('section:revealed', () => reveals++);
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => b.revealed('activities') !== undefined && a.revealed('activities') !== undefined, 2000, 'revealed on both');
    expect(b.revealed('activities')?.a.impact_hand).toMatchObject({ note: 'CANARY-2N-NOTE' });

    const sections = ['frame', 'experience', 'curious', 'limits', 'safety', 'emotional', 'aftercare', 'debrief'];
    for (let i = 0; i < 20; i++) {
      const sectionId = sections[i % sections.length]!;
      if (b.section(sectionId)?.state === 'revealed') await a.control.send('section:reopen', { sectionId });
      const [x, y] = await Promise.all([
        a.control.send('section:ready', { sectionId, ready: true }),
        b.control.send('section:ready', { sectionId, ready: true }),
      ]);
      expect(x).toEqual({ ok: true });
      expect(y).toEqual({ ok: true });
      const view = await getRoom(one.url, pair.roomId, pair.a.token);
      expect(view.sections.find((s) => s.id === sectionId)).toMatchObject({ state: 'revealed', ready: { a: true, b: true } });
    }
    await sleep(300);
    expect(reveals).toBe(21);
    const history = b.room.doc.getArray('history').toArray() as { type: string }[];
    expect(history.filter((h) => h.type === 'revealed')).toHaveLength(21);
    expect(b.recorder.contains('CANARY-2N-ARRIVAL')).toBe(false);
    expect(a.private.closeCodes.concat(b.private.closeCodes)).toEqual([]);
  });

  it('S3 shows presence both ways across nodes', async () => {
    const { a, b } = await split();
    await b.control.send('presence:update', { focus: 'safety' });
    await a.control.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && x.online && x.focus === 'safety'));
    await a.control.send('presence:update', { focus: 'frame' });
    await b.control.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'a' && x.online && x.focus === 'frame'));
    const offline = a.control.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && !x.online));
    b.control.close();
    await offline;
  });

  it('S4 keeps the read-only and private rules on every node', async () => {
    const { pair, a, two } = await split();
    const peek = openDoc(two.wsUrl, docName.private(pair.roomId, pair.a.id), pair.b.token);
    expect(await peek.closed).toBe(4403);
    peek.destroy();
    a.room.doc.getMap('sections').set('frame', { state: 'revealed' });
    expect(await a.room.closed).toBe(4403);
  });

  it('S5 deleting on node 1 closes the partner on node 2 (room:deleted, Yjs 4410)', async () => {
    const { pair, b, one } = await split();
    const deleted = b.control.next('room:deleted');
    expect((await http(one.url, 'DELETE', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(204);
    await deleted;
    expect(await b.shared.closed).toBe(4410);
    expect(await b.private.closed).toBe(4410);
  });
});

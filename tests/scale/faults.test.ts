import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import { createPair, http } from '../helpers/api';
import { openDoc, sleep, until } from '../helpers/clients';
import { startCluster } from '../helpers/cluster';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { spawnRedis, spawnTwoNodes } from '../helpers/processes';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const later = (fn: () => unknown) => cleanups.push(fn);

const isOnline = (seat: 'a' | 'b', online: boolean) => (p: { participants: PresenceParticipant[] }) =>
  p.participants.some((x) => x.seat === seat && x.online === online);

describe('faults with several nodes (real processes, private Redis, own Postgres database)', () => {
  it('F1 a node killed with SIGKILL: its participant goes offline within the TTL, reconnects to the other node, loses no acknowledged edit', async () => {
    const { one, two } = await spawnTwoNodes(later);

    const pair = await createPair(one.url);
    const sessions: PartnerSession[] = [];
    later(() => sessions.forEach((s) => s.close()));
    const a = await joinAs(one, pair.roomId, pair.a);
    const b = await joinAs(two, pair.roomId, pair.b);
    sessions.push(a, b);
    await b.control.next('presence', isOnline('a', true), 10_000).catch(() => undefined);

    const edits = a.shared.doc.getArray<number>('edits');
    for (let i = 0; i < 500; i++) {
      edits.push([i]);
      if (i % 25 === 0) await sleep(2);
    }
    a.answer('impact_hand', { giving: 'yes', note: 'written on node one' });
    // Acknowledged: node one stored them before relaying them — the shared edits to B on node
    // two, the private answer to A's own second device, also on node two.
    const aPhone = openDoc(two.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token);
    later(() => aPhone.destroy());
    await until(() => b.shared.doc.getArray('edits').length === 500, 10_000, 'B saw every edit');
    await until(() => aPhone.doc.getMap('answers').get('impact_hand') !== undefined, 10_000, 'A\'s other device saw the answer');

    const offline = b.control.next('presence', isOnline('a', false), 20_000);
    const killedAt = Date.now();
    await one.kill('SIGKILL');
    await offline;
    const convergence = Date.now() - killedAt;
    console.log(`[F1] presence convergence after SIGKILL: ${convergence} ms`);
    expect(convergence).toBeLessThanOrEqual(15_000);

    a.close();
    const a2 = await joinAs(two, pair.roomId, pair.a);
    sessions.push(a2);
    expect(a2.shared.doc.getArray('edits').toArray()).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(a2.private.doc.getMap('answers').get('impact_hand')).toMatchObject({ note: 'written on node one' });
    a2.shared.doc.getText('notes').insert(0, 'back');
    await until(() => b.shared.doc.getText('notes').toString() === 'back', 3000, 'converged on node two');
  }, 120_000);

  it('F2 Redis stopped for 30 s: open rooms keep working, /readyz says 503, nothing crashes, logs stay quiet, recovery within 5 s', async () => {
    const redis = await spawnRedis();
    later(() => redis.stop());
    const cluster = await startCluster({ nodes: 2, redisUrl: redis.url });
    later(() => cluster.close());
    const [one, two] = cluster.nodes as [(typeof cluster.nodes)[0] & object, (typeof cluster.nodes)[0] & object];
    const sessions: PartnerSession[] = [];
    later(() => sessions.forEach((s) => s.close()));
    const local = await createPair(one.url);
    const la = await joinAs(one, local.roomId, local.a);
    const lb = await joinAs(one, local.roomId, local.b);
    const split = await createPair(one.url);
    const sa = await joinAs(one, split.roomId, split.a);
    const sb = await joinAs(two, split.roomId, split.b);
    sessions.push(la, lb, sa, sb);

    await redis.stop();
    const stoppedAt = Date.now();
    await until(async () => (await http(one.url, 'GET', '/readyz')).status === 503 && (await http(two.url, 'GET', '/readyz')).status === 503, 5000, 'readyz 503');

    // An already-open room on one node keeps syncing; new rooms can still be made (storage is up).
    la.shared.doc.getText('notes').insert(0, 'during the outage');
    await until(() => lb.shared.doc.getText('notes').toString() === 'during the outage', 3000, 'local sync during outage');
    expect((await http(one.url, 'POST', '/api/rooms', { body: { displayName: 'Outage' } })).status).toBe(201);
    // Coordination needs Redis: a clear error, not a hang or a crash.
    expect(await la.control.send('section:ready', { sectionId: 'frame', ready: true })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    sa.shared.doc.getText('notes').insert(0, 'written on node one while Redis was down');

    await sleep(Math.max(0, 30_000 - (Date.now() - stoppedAt)));
    expect((await http(one.url, 'GET', '/healthz')).status).toBe(200);
    expect((await http(two.url, 'GET', '/healthz')).status).toBe(200);

    await redis.start();
    const restartedAt = Date.now();
    const everyoneOnline = async (node: typeof one, roomId: string) =>
      (await node.app.parley.presence.snapshot(roomId)).every((p) => p.online);
    await until(
      async () =>
        (await http(one.url, 'GET', '/readyz')).status === 200 &&
        (await http(two.url, 'GET', '/readyz')).status === 200 &&
        (await everyoneOnline(two, split.roomId)) &&
        (await everyoneOnline(one, local.roomId)),
      10_000,
      'recovered',
    );
    const recovery = Date.now() - restartedAt;
    console.log(`[F2] recovery after Redis returned: ${recovery} ms`);
    expect(recovery).toBeLessThanOrEqual(5000);
    // The edit made on node one during the outage reaches node two (resync from the store).
    await until(() => sb.shared.doc.getText('notes').toString() === 'written on node one while Redis was down', 5000, 'resynced across nodes');
    expect(await la.control.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });

    for (const node of [one, two]) {
      const lost = node.logs.filter((l) => l.includes('redis connection lost')).length;
      expect(lost, 'outage logged once per connection, not in a loop').toBeGreaterThan(0);
      expect(lost).toBeLessThanOrEqual(3);
      expect(node.logs.filter((l) => l.includes('"level":50')).length).toBeLessThanOrEqual(10);
    }
  }, 120_000);
});

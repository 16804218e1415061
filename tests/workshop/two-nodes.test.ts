import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/api';
import { connectControl, until } from '../helpers/clients';
import { startCluster, type Cluster } from '../helpers/cluster';
import { connectFacilitator, connectProjector, createWorkshop, workshopPair } from '../helpers/workshop';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, store: 'postgres' });
});
afterAll(async () => {
  await cluster.close();
});

describe('workshops across two nodes (Redis adapter, Postgres)', () => {
  it('WN1 progress on node two reaches the facilitator on node one within a second; pacing reaches pairs on node two', async () => {
    const [one, two] = cluster.nodes as [Cluster['nodes'][number], Cluster['nodes'][number]];
    const workshop = await createWorkshop(one.url, { lockSections: true });
    const facilitator = await connectFacilitator(one.url, workshop.workshopId, workshop.facilitator.token);
    // joined on node two; the two confirm each other from devices on different nodes
    const pair = await workshopPair(two.url, workshop.joinCode, ['Quin', 'Rae'], [one.url, two.url]);
    const a = await connectControl(two.url, pair.roomId, pair.a.token);
    const b = await connectControl(two.url, pair.roomId, pair.b.token);
    await facilitator.until((s) => s.pairs[0]?.online.a === true && s.pairs[0]?.online.b === true, 2000, 'online across nodes');

    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:broadcast', { message: 'Frame is open' })).toEqual({ ok: true });
    await until(() => [a, b].every((c) => c.events.some((e) => e.name === 'workshop:unlocked') && c.events.some((e) => e.name === 'workshop:message')), 2000, 'pacing on node two');

    const sent = Date.now();
    expect(await a.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    const seen = await facilitator.until((s) => s.pairs[0]?.sections.find((x) => x.id === 'frame')?.progress === 'partly_ready', 1000, 'ready across nodes');
    expect(seen.at - sent).toBeLessThan(1000);
    await b.send('section:ready', { sectionId: 'frame', ready: true });
    await facilitator.until((s) => s.pairs[0]?.sections.find((x) => x.id === 'frame')?.state === 'revealed', 1000, 'reveal across nodes');
    expect(await b.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    await facilitator.until((s) => s.pairs[0]?.hand === true, 1000, 'hand across nodes');
    for (const c of [a, b, facilitator]) c.close();
  });

  it('WN3 a projector on node two follows the facilitator on node one; a pair removed on node one is an ordinary room on node two at once', async () => {
    const [one, two] = cluster.nodes as [Cluster['nodes'][number], Cluster['nodes'][number]];
    const workshop = await createWorkshop(one.url, { lockSections: true });
    const facilitator = await connectFacilitator(one.url, workshop.workshopId, workshop.facilitator.token);
    const projector = await connectProjector(two.url, workshop.workshopId, workshop.facilitator.token);
    const pair = await workshopPair(two.url, workshop.joinCode, ['Sol', 'Tam'], [two.url, two.url]);
    const a = await connectControl(two.url, pair.roomId, pair.a.token);
    // node two has seen this room as a locked workshop pair
    expect(await a.send('section:ready', { sectionId: 'safety', ready: true })).toMatchObject({ ok: false, error: { reason: 'section_locked' } });

    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:broadcast', { message: 'Frame now' })).toEqual({ ok: true });
    await projector.until((p) => p.message?.message === 'Frame now' && p.section?.id === 'frame', 2000, 'projector across nodes');
    expect(JSON.stringify(projector.states)).not.toContain('Sol');

    const removed = a.next('workshop:removed', () => true, 2000);
    expect(await facilitator.send('workshop:remove-pair', { roomId: pair.roomId, confirmed: true })).toEqual({ ok: true });
    await removed;
    expect(await a.send('section:ready', { sectionId: 'safety', ready: true })).toEqual({ ok: true });
    for (const c of [a, facilitator, projector]) c.close();
  });

  it('WN2 wrong join codes count on every node: 20 spread over both, then both answer 429', async () => {
    const [one, two] = cluster.nodes as [Cluster['nodes'][number], Cluster['nodes'][number]];
    const guess = (url: string) => http<{ error: { code: string } }>(url, 'POST', '/api/workshops/join', { body: { joinCode: 'ZZZZZZ', displayName: 'Guess' } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await guess(i % 2 === 0 ? one.url : two.url)).status);
    expect(statuses.every((s) => s === 404)).toBe(true);
    for (const node of [one, two]) {
      const blocked = await guess(node.url);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
    }
  });
});

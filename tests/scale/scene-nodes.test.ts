import { afterEach, describe, expect, it } from 'vitest';
import { readSceneLog, type SceneState, type SignalEvent } from '@parley/shared/protocol/scene';
import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import { createPair } from '../helpers/api';
import { connectControl, received, sendSignal, type ControlClient } from '../helpers/clients';
import type { Cluster } from '../helpers/cluster';
import { closeAfterEach, useCluster, usePartners, useWorkshops } from '../helpers/fixtures';
import { workshopPair } from '../helpers/workshop';
import { connectionDrop } from '@parley/shared/scene/plan';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { spawnTwoNodes } from '../helpers/processes';

const cluster = useCluster({ nodes: 2, build: { signalUnseenMs: 2000 } });
const partners = usePartners(null);
const close = closeAfterEach();
// The facilitator watches from node two (read when the test runs, once the cluster is up).
const workshops = useWorkshops({
  get url() {
    return cluster.nodes[1]!.url;
  },
});

const signalIds = (c: ControlClient) => c.events.filter((e) => e.name === 'signal').map((e) => (e.payload as SignalEvent).id);

/** A on node 1, B on node 2. */
async function split() {
  const [one, two] = cluster.nodes as [NonNullable<Cluster['nodes'][0]>, NonNullable<Cluster['nodes'][0]>];
  return { ...(await partners({ nodes: [one, two] })), one, two };
}

describe('scene signals across two nodes (Redis + Postgres)', () => {
  it('SN1 a signal sent on node one reaches the partner on node two, the ack comes back; a room split the same way sees nothing', async () => {
    const { a, b, one, two } = await split();
    const other = await partners({ nodes: [two, one] });
    await b.control.send('scene:start', {});
    await received<{ scene: SceneState }>(a.control, 'scene', (p) => p.scene.startedBy === 'b');
    const id = await sendSignal(a.control, { level: 'red' });
    expect(await received<SignalEvent>(b.control, 'signal', (p) => p.id === id)).toMatchObject({ id, level: 'red', from: 'a' });
    expect(await b.control.send('signal:ack', { id })).toEqual({ ok: true });
    await received(a.control, 'signal:acked', (p: { id: string }) => p.id === id);
    await Promise.all([other.a.caughtUp(), other.b.caughtUp(), a.caughtUp()]);
    expect(signalIds(a.control)).toEqual([]);
    for (const r of [other.a.recorder, other.b.recorder]) expect(r.contains(id)).toBe(false);
  });

  it('SN2 resend after a reconnect to the other node, no duplicate; "not seen" reads acks made on the other node', async () => {
    const { pair, a, b, one } = await split();
    await a.control.send('scene:start', {});
    b.control.close();
    const yellow = await sendSignal(a.control, { level: 'yellow' });
    // B comes back on node one (the sender's node): the stored signal is sent again.
    const back = close(await connectControl(one.url, pair.roomId, pair.b.token));
    await received(back, 'signal', (p: SignalEvent) => p.id === yellow);
    expect(await back.send('signal:ack', { id: yellow })).toEqual({ ok: true });
    await received(a.control, 'signal:acked', (p: { id: string }) => p.id === yellow);
    expect(signalIds(back)).toEqual([yellow]);

    // Acked on node two, sent on node one: node one's timer must not say "not seen".
    const seen = await sendSignal(a.control, { level: 'check' });
    const bTwo = b.control.socket.connected ? b.control : close(await connectControl(cluster.nodes[1]!.url, pair.roomId, pair.b.token));
    await received(bTwo, 'signal', (p: SignalEvent) => p.id === seen);
    expect(await bTwo.send('signal:ack', { id: seen })).toEqual({ ok: true });
    const unseen = await sendSignal(a.control, { level: 'red' });
    await received(a.control, 'signal:unseen', (p: { id: string }) => p.id === unseen);
    expect(a.control.events.filter((e) => e.name === 'signal:unseen').map((e) => (e.payload as { id: string }).id)).toEqual([unseen]);
  });
});

describe('scene signals across two nodes: facilitators and dropped connections', () => {
  it('SN4 a workshop pair split over the nodes: the facilitator on node two sees none of its signals', async () => {
    const [one, two] = cluster.nodes as [NonNullable<Cluster['nodes'][0]>, NonNullable<Cluster['nodes'][0]>];
    const { workshop, facilitator } = await workshops();
    const p = await workshopPair(one.url, workshop.joinCode, ['Kim', 'Lee'], [one.url, two.url]);
    const a = close(await joinAs(one, p.roomId, p.a));
    const b = close(await joinAs(two, p.roomId, p.b));
    await a.control.send('scene:start', {});
    const id = await sendSignal(a.control, { level: 'red' });
    await received(b.control, 'signal', (s: SignalEvent) => s.id === id);
    await b.control.send('signal:ack', { id });
    await received(a.control, 'signal:acked', (s: { id: string }) => s.id === id);
    // A dashboard state made after the signals: the hand goes up.
    await b.control.send('workshop:hand', { raised: true });
    await facilitator.until((s) => s.pairs.some((x) => x.hand), 5000, 'hand on the dashboard');
    expect(facilitator.recorder.contains(id)).toBe(false);
    expect(facilitator.recorder.contains('"signal')).toBe(false);
    expect(facilitator.recorder.contains('"scene"')).toBe(false);
  });

  it('SN5 the partner on the other node drops: presence crosses Redis with the time they were last seen, and past the agreed wait the plan applies', async () => {
    const { a, b } = await split();
    await a.control.send('scene:start', {});
    const before = Date.now();
    b.close();
    const offline = (await a.control.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && !x.online), 15_000)) as { participants: PresenceParticipant[] };
    const lastSeen = offline.participants.find((x) => x.seat === 'b')?.lastSeen ?? null;
    expect(lastSeen).toBeGreaterThanOrEqual(before - 1000);
    // Mocked time: the default wait (nothing revealed) is two minutes.
    expect(connectionDrop(lastSeen, 2 * 60_000, lastSeen! + 119_000).applies).toBe(false);
    expect(connectionDrop(lastSeen, 2 * 60_000, lastSeen! + 125_000)).toEqual({ applies: true, downMs: 125_000 });
  });
});

describe('scene signals when the sender\'s node dies (real processes)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const later = (fn: () => unknown) => cleanups.push(fn);

  it('SN3 the sender\'s node is killed right after a red is stored: after the reconnect to the other node it is delivered once and acknowledged', async () => {
    const { one, two } = await spawnTwoNodes(later);
    const pair = await createPair(two.url);
    const sessions: PartnerSession[] = [];
    later(() => sessions.forEach((s) => s.close()));
    const a = await joinAs(one, pair.roomId, pair.a);
    const b = await joinAs(two, pair.roomId, pair.b);
    sessions.push(a, b);
    await b.control.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'a' && x.online), 10_000).catch(() => undefined);
    await a.control.send('scene:start', {});

    const id = 'red-from-alex-0001';
    expect(await a.control.send('signal:send', { level: 'red', id })).toEqual({ ok: true, data: { id } });
    await one.kill('SIGKILL');
    // Like the web client: the sender reconnects to the node that answers and sends its unacknowledged signal again.
    a.close();
    const aAgain = await joinAs(two, pair.roomId, pair.a);
    sessions.push(aAgain);
    expect(await aAgain.control.send('signal:send', { level: 'red', id })).toEqual({ ok: true, data: { id } });
    await received(b.control, 'signal', (p: SignalEvent) => p.id === id, 10_000);
    expect(await b.control.send('signal:ack', { id })).toEqual({ ok: true });
    await received(aAgain.control, 'signal:acked', (p: { id: string }) => p.id === id, 10_000);
    // Never shown twice: however often it came, it is one id and one log entry.
    expect(new Set(signalIds(b.control))).toEqual(new Set([id]));
    expect(readSceneLog(b.room.doc).filter((e) => e.id === id)).toHaveLength(1);
  }, 120_000);
});

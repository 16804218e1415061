import { describe, expect, it } from 'vitest';
import type { RoomView } from '@parley/shared/protocol/http';
import { docName } from '@parley/shared/protocol/ids';
import type { JoinWorkshopResponse, RoomWorkshopView, WorkshopState } from '@parley/shared/protocol/workshop';
import { http } from '../helpers/api';
import { connectControl, openDoc, Recorder, sleep, until, type ControlClient } from '../helpers/clients';
import type { Cluster } from '../helpers/cluster';
import { useCluster, useServer } from '../helpers/fixtures';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { confirmEachOther, connectFacilitator, createWorkshop, joinWorkshop, type FacilitatorClient } from '../helpers/workshop';

/**
 * Issue 11 §1: a facilitator takes a pair's empty seat. The attacker holds only what the wire
 * gives a facilitator (their token, the dashboard, the join code) plus a second browser they
 * control, and tries to end up beside an attendee who is waiting alone with real answers.
 */
const CANARY = 'CANARY-SEAT-7f3b';

interface Node {
  url: string;
  wsUrl: string;
}

/** An attendee waiting alone: answers Safety & signals with canaries and tries to mark it ready. */
async function attendeeAlone(node: Node, joinCode: string): Promise<{ joined: JoinWorkshopResponse; session: PartnerSession }> {
  const joined = await joinWorkshop(node.url, joinCode, 'Ann');
  const session = await joinAs(node, joined.roomId, joined.participant);
  session.answer('safety_safeword', { text: `${CANARY} my safeword` });
  session.answer('safety_nonverbal', { text: '', note: `${CANARY} my note` });
  await session.private.stored();
  await session.control.send('section:ready', { sectionId: 'safety', ready: true });
  return { joined, session };
}

/**
 * Everything the attacker's second browser can reach with its own token, recorded: first it
 * marks Safety & signals ready wherever it can (that would complete the attendee's reveal),
 * then it reads every room doc, shared doc and room API it can open.
 */
async function attackerTries(node: Node, roomIds: string[], me: { id: string; token: string }, recorder: Recorder): Promise<ControlClient[]> {
  const controls: ControlClient[] = [];
  for (const roomId of roomIds) {
    const control = await connectControl(node.url, roomId, me.token, { recorder }).catch(() => null);
    if (!control) continue;
    recorder.add(JSON.stringify(await control.send('section:ready', { sectionId: 'safety', ready: true })));
    controls.push(control);
  }
  await sleep(300);
  for (const roomId of roomIds) {
    for (const path of [`/api/rooms/${roomId}`, `/api/rooms/${roomId}/agreement?format=json`, `/api/rooms/${roomId}/workshop`]) {
      recorder.add((await http(node.url, 'GET', path, { token: me.token })).text);
    }
    for (const name of [docName.room(roomId), docName.shared(roomId)]) {
      const doc = openDoc(node.wsUrl, name, me.token, { recorder });
      await Promise.race([doc.synced, doc.closed, sleep(1000)]);
      doc.destroy();
    }
  }
  return controls;
}

const partnerOf = async (node: Node, roomId: string, token: string) => (await http<RoomView>(node.url, 'GET', `/api/rooms/${roomId}`, { token })).body.partner;
const pairingOf = async (node: Node, roomId: string, token: string) =>
  (await http<{ workshop: RoomWorkshopView }>(node.url, 'GET', `/api/rooms/${roomId}/workshop`, { token })).body.workshop.pairing;

describe('seat takeover (one node)', () => {
  const server = useServer();

  async function facilitatorOf(): Promise<{ workshop: Awaited<ReturnType<typeof createWorkshop>>; facilitator: FacilitatorClient; recorder: Recorder }> {
    const workshop = await createWorkshop(server.url);
    const recorder = new Recorder();
    const facilitator = await connectFacilitator(server.url, workshop.workshopId, workshop.facilitator.token, recorder);
    return { workshop, facilitator, recorder };
  }

  it('ST1 pair codes never reach the facilitator: not in workshop:state, not in GET /api/workshops/:id', async () => {
    const { workshop, facilitator, recorder } = await facilitatorOf();
    const { joined, session } = await attendeeAlone(server, workshop.joinCode);
    await facilitator.until((s) => s.pairs.some((p) => p.roomId === joined.roomId), 2000, 'the pair on the dashboard');
    recorder.add((await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token: workshop.facilitator.token })).text);
    expect(recorder.bytes).toBeGreaterThan(500);
    expect(recorder.contains(joined.pairCode)).toBe(false);
    expect(recorder.contains(CANARY)).toBe(false);
    session.close();
    facilitator.close();
  });

  it('ST2 a code alone seats nobody: the facilitator (holding the pair code from a screen) joins, marks ready, reads nothing; the real partner still gets in', async () => {
    const { workshop, facilitator } = await facilitatorOf();
    const { joined: ann, session } = await attendeeAlone(server, workshop.joinCode);

    const recorder = new Recorder();
    const mallory = await joinWorkshop(server.url, workshop.joinCode, 'Mallory', ann.pairCode);
    recorder.add(JSON.stringify(mallory));
    const controls = await attackerTries(server, [...new Set([ann.roomId, mallory.roomId])], mallory.participant, recorder);
    expect(recorder.contains(CANARY)).toBe(false);
    // Ann's room still has nobody beside her, and nothing was revealed to anyone
    expect(await partnerOf(server, ann.roomId, ann.participant.token)).toBeNull();
    expect(session.revealed('safety')).toBeUndefined();
    expect(session.recorder.contains('Mallory')).toBe(false);

    // Ann is asked, sees a stranger's name, and declines: each is left alone with their own answers.
    const asked = await pairingOf(server, ann.roomId, ann.participant.token);
    expect(asked).toMatchObject({ partnerName: 'Mallory', confirmedByMe: false, proposedBy: 'code' });
    expect(await session.control.send('workshop:confirm-partner', { confirmed: false })).toEqual({ ok: true });
    expect(await pairingOf(server, ann.roomId, ann.participant.token)).toBeNull();
    expect(await pairingOf(server, mallory.roomId, mallory.participant.token)).toBeNull();
    expect(session.private.doc.getMap('answers').get('safety_safeword')).toMatchObject({ text: `${CANARY} my safeword` });

    // The real partner brings the code, both see the same three words and confirm: Ben sits beside Ann.
    const ben = await joinWorkshop(server.url, workshop.joinCode, 'Ben', ann.pairCode);
    const [annSees, benSees] = [await pairingOf(server, ann.roomId, ann.participant.token), await pairingOf(server, ben.roomId, ben.participant.token)];
    expect(annSees?.phrase).toHaveLength(3);
    expect(benSees?.phrase).toEqual(annSees?.phrase);
    expect(annSees?.phrase).not.toEqual(asked?.phrase);
    expect(benSees?.partnerName).toBe('Ann');
    // until both confirmed, neither can mark anything ready
    expect(await session.control.send('section:ready', { sectionId: 'safety', ready: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await confirmEachOther({ url: server.url, roomId: ann.roomId, token: ann.participant.token }, { url: server.url, roomId: ben.roomId, token: ben.participant.token });
    expect(await partnerOf(server, ann.roomId, ann.participant.token)).toMatchObject({ displayName: 'Ben' });
    expect(await session.control.send('section:ready', { sectionId: 'safety', ready: true })).toEqual({ ok: true });

    expect(recorder.contains(CANARY)).toBe(false);
    for (const c of controls) c.close();
    session.close();
    facilitator.close();
  });

  for (const direction of ['attacker moved in', 'attendee moved out'] as const) {
    it(`ST3 workshop:pair seats nobody the other has not confirmed (${direction}); a decline leaves both alone`, async () => {
      const { workshop, facilitator, recorder } = await facilitatorOf();
      const { joined: ann, session } = await attendeeAlone(server, workshop.joinCode);
      const mallory = await joinWorkshop(server.url, workshop.joinCode, 'Mallory');
      recorder.add(JSON.stringify(mallory));
      await facilitator.until((s) => s.pairs.length === 2, 2000, 'two waiting');
      const [into, from] = direction === 'attacker moved in' ? [ann.roomId, mallory.roomId] : [mallory.roomId, ann.roomId];
      recorder.add(JSON.stringify(await facilitator.send('workshop:pair', { into, from })));
      await sleep(200);

      const controls = await attackerTries(server, [ann.roomId, mallory.roomId], mallory.participant, recorder);
      expect(recorder.contains(CANARY)).toBe(false);
      expect(await partnerOf(server, ann.roomId, ann.participant.token)).toBeNull();
      expect(await partnerOf(server, mallory.roomId, mallory.participant.token)).toBeNull();
      expect(session.revealed('safety')).toBeUndefined();

      expect(await session.control.send('workshop:confirm-partner', { confirmed: false })).toEqual({ ok: true });
      const state = await facilitator.until((s: WorkshopState) => s.pairs.length === 2 && s.pairs.every((p) => p.confirmingWith === null), 2000, 'declined on the dashboard');
      expect(state.state.pairs.map((p) => p.names.b)).toEqual([null, null]);
      for (const c of controls) c.close();
      session.close();
      facilitator.close();
    });
  }

  it('ST4 the dashboard shows a section as partly ready, never which person is ready', async () => {
    const { workshop, facilitator, recorder } = await facilitatorOf();
    const a = await joinWorkshop(server.url, workshop.joinCode, 'Mia');
    const b = await joinWorkshop(server.url, workshop.joinCode, 'Noor', a.pairCode);
    await confirmEachOther({ url: server.url, roomId: a.roomId, token: a.participant.token }, { url: server.url, roomId: b.roomId, token: b.participant.token });
    const mia = await connectControl(server.url, a.roomId, a.participant.token);
    expect(await mia.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    const seen = await facilitator.until((s) => s.pairs[0]?.sections.find((x) => x.id === 'frame')?.progress === 'partly_ready', 2000, 'partly ready');
    expect(seen.state.pairs[0]?.sections.find((x) => x.id === 'frame')).toEqual({ id: 'frame', state: 'open', round: 1, progress: 'partly_ready' });
    const http1 = await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token: workshop.facilitator.token });
    recorder.add(http1.text);
    expect(recorder.contains('"ready"')).toBe(false);
    mia.close();
    facilitator.close();
  });
});

describe('seat takeover across two nodes (Postgres + Redis)', () => {
  const cluster = useCluster({ nodes: 2, store: 'postgres' });

  it('ST5 the facilitator on node one pairs their second browser on node two into an attendee’s room: nothing is seated, nothing is read', async () => {
    const [one, two] = cluster.nodes as [Cluster['nodes'][number], Cluster['nodes'][number]];
    const workshop = await createWorkshop(one.url);
    const recorder = new Recorder();
    const facilitator = await connectFacilitator(one.url, workshop.workshopId, workshop.facilitator.token, recorder);
    const { joined: ann, session } = await attendeeAlone(one, workshop.joinCode);
    const mallory = await joinWorkshop(two.url, workshop.joinCode, 'Mallory');
    await facilitator.until((s) => s.pairs.length === 2, 3000, 'two waiting');
    recorder.add(JSON.stringify(await facilitator.send('workshop:pair', { into: ann.roomId, from: mallory.roomId })));
    await sleep(300);
    const controls = await attackerTries(two, [ann.roomId, mallory.roomId], mallory.participant, recorder);
    expect(recorder.contains(CANARY)).toBe(false);
    expect(recorder.contains(ann.pairCode)).toBe(false);
    expect(await partnerOf(one, ann.roomId, ann.participant.token)).toBeNull();
    await until(async () => (await pairingOf(one, ann.roomId, ann.participant.token)) !== null, 2000, 'Ann is asked');
    expect(session.revealed('safety')).toBeUndefined();
    for (const c of controls) c.close();
    session.close();
    facilitator.close();
  });
});

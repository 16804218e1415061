import { describe, expect, it } from 'vitest';
import type { RoomView } from '@parley/shared/protocol/http';
import { toBase64Url } from '@parley/shared/sealed/bytes';
import { EnvelopeKind, openEnvelope, sealEnvelope } from '@parley/shared/sealed/envelope';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { openSealedInvite, openSealedRoom, prepareSealedCreate, prepareSealedJoin } from '../../client/src/lib/sealed-room';

/**
 * What a sealed room's browser does with the server's answers (client/src/lib/sealed-room.ts):
 * both seats agree one pair key from what the server relays, open the names and title, and
 * refuse a partner key that the invite's binding does not vouch for.
 */

const ROOM = 'ROOMidROOMidROOMidROOMi';

async function room() {
  const created = await prepareSealedCreate({ displayName: 'Alex', title: 'Sunday', template: 'default', revealMode: 'full' });
  if (!created.ok) throw new Error(created.reason);
  const a = created.body;
  const preview = { title: a.title ?? null, inviterName: a.displayName, publicKey: a.publicKey, binding: a.binding };
  const invite = await openSealedInvite(created.inviteSecret, preview);
  if (!invite.ok) throw new Error(invite.reason);
  const joined = await prepareSealedJoin(invite.invite, 'Blake');
  if (!joined.ok) throw new Error(joined.reason);
  const b = joined.body;
  // what GET /api/rooms/:id answers each seat: the sealed strings and both keys, verbatim
  const view = (seat: 'a' | 'b', keys: RoomView['keys']): RoomView => ({
    roomId: ROOM,
    title: a.title ?? null,
    revealMode: 'full',
    template: { id: 'default', version: 1 },
    me: { id: `p-${seat}`, seat, displayName: seat === 'a' ? a.displayName : b.displayName },
    partner: { id: `p-${seat === 'a' ? 'b' : 'a'}`, seat: seat === 'a' ? 'b' : 'a', displayName: seat === 'a' ? b.displayName : a.displayName },
    sections: [],
    paused: false,
    createdAt: '2026-12-01T00:00:00Z',
    sealed: true,
    keys,
  });
  const keys = { a: { publicKey: a.publicKey, binding: a.binding }, b: { publicKey: b.publicKey, binding: b.binding } };
  return { created, invite, joined, view, keys };
}

describe('opening a sealed room in the browser', () => {
  it('KO1: the join page opens the inviter’s name and title; both seats open the room, read the names and agree one shared-doc key', async () => {
    const { created, invite, joined, view, keys } = await room();
    expect(invite).toMatchObject({ ok: true, title: 'Sunday', inviterName: 'Alex' });
    const asA = await openSealedRoom({ roomId: ROOM, view: view('a', keys), seatSecret: created.seatSecret, inviteSecret: null });
    const asB = await openSealedRoom({ roomId: ROOM, view: view('b', keys), seatSecret: joined.seatSecret, inviteSecret: created.inviteSecret });
    if (!asA.ok || !asB.ok) throw new Error('did not open');
    expect([asA.view.title, asA.view.me.displayName, asA.view.partner?.displayName]).toEqual(['Sunday', 'Alex', 'Blake']);
    expect([asB.view.title, asB.view.me.displayName, asB.view.partner?.displayName]).toEqual(['Sunday', 'Blake', 'Alex']);
    expect(asA.keys.seat.authToken).toBe(created.token);
    const context = `${ROOM}/shared`;
    const sealed = await sealEnvelope(asA.keys.pair!.shared, { kind: EnvelopeKind.update, sender: '0000000000000001', seq: 1, context }, new Uint8Array([7]));
    if (!sealed.ok) throw new Error(sealed.reason);
    expect((await openEnvelope(asB.keys.pair!.shared, sealed.envelope, context)).ok).toBe(true);
    // before the partner joined, seat a has its keys and no pair yet
    const alone = await openSealedRoom({ roomId: ROOM, view: { ...view('a', { a: keys.a, b: null }), partner: null }, seatSecret: created.seatSecret, inviteSecret: null });
    expect(alone.ok && alone.keys.pair).toBe(null);
  });

  it('KO2: a partner key the server swapped is refused by the join page and by both seats; seat b without the invite secret cannot check it', async () => {
    const { created, joined, view, keys } = await room();
    const stranger = await deriveSeatKeys(generateLinkSecret());
    const swapped = toBase64Url(stranger.identity.publicKey);
    const preview = { title: null, inviterName: created.body.displayName, publicKey: swapped, binding: keys.a.binding };
    expect(await openSealedInvite(created.inviteSecret, preview)).toEqual({ ok: false, reason: 'partner key' });
    expect(await openSealedRoom({ roomId: ROOM, view: view('a', { ...keys, b: { ...keys.b, publicKey: swapped } }), seatSecret: created.seatSecret, inviteSecret: null })).toEqual({ ok: false, reason: 'partner key' });
    expect(await openSealedRoom({ roomId: ROOM, view: view('b', { ...keys, a: { ...keys.a, publicKey: swapped } }), seatSecret: joined.seatSecret, inviteSecret: created.inviteSecret })).toEqual({ ok: false, reason: 'partner key' });
    // a's binding moved to b's seat does not pass either (bindings name their seat)
    expect(await openSealedRoom({ roomId: ROOM, view: view('a', { ...keys, b: keys.a }), seatSecret: created.seatSecret, inviteSecret: null })).toEqual({ ok: false, reason: 'partner key' });
    expect(await openSealedRoom({ roomId: ROOM, view: view('b', keys), seatSecret: joined.seatSecret, inviteSecret: null })).toEqual({ ok: false, reason: 'no invite secret' });
  });
});

import { describe, expect, it } from 'vitest';
import { formatDateTime } from '@parley/shared/agreement/format';
import { docName } from '@parley/shared/protocol/ids';
import type { RoomMeta } from '@parley/shared/protocol/room-doc';
import { http } from '../helpers/api';
import { openDoc, until } from '../helpers/clients';
import { closeAfterEach, usePartners, useServer } from '../helpers/fixtures';
import type { PartnerSession } from '../helpers/partner';

/**
 * Issue 13, "an agreement people would sign": items are left out of the agreement only by both
 * partners' choice (`agreement:leave-out`, kept in the room doc's `meta.leftOut`), that choice is
 * part of what they confirm, and the exports say who confirmed and when.
 */

const server = useServer();
const both = usePartners(server);
const close = closeAfterEach();

type AgreementJson = { hash: string; confirmedBy: string[]; confirmed: { seat: string; at: string }[]; leftOut: { id: string }[] };
const agreementOf = async (roomId: string, token: string) =>
  (await http<AgreementJson>(server.url, 'GET', `/api/rooms/${roomId}/agreement?format=json`, { token })).body;
const markdownOf = async (roomId: string, token: string, query = '') =>
  (await http(server.url, 'GET', `/api/rooms/${roomId}/agreement?format=md${query}`, { token })).text;
const leftOutIn = (p: PartnerSession) => p.room.doc.getMap('meta').get('leftOut') as RoomMeta['leftOut'] | undefined;

async function revealActivities(a: PartnerSession, b: PartnerSession) {
  a.answer('impact_hand', { giving: 'yes' });
  b.answer('impact_hand', { receiving: 'favourite' });
  a.answer('restraint_rope', { giving: 'yes' });
  b.answer('restraint_rope', { receiving: 'yes' });
  await Promise.all([a.private.stored(), b.private.stored()]);
  await a.control.send('section:ready', { sectionId: 'activities', ready: true });
  await b.control.send('section:ready', { sectionId: 'activities', ready: true });
  await until(() => a.revealed('activities') !== undefined && b.revealed('activities') !== undefined, 2000, 'activities revealed');
}

describe('leaving items out of the agreement by shared choice', () => {
  it('LO1 one proposes, the other sees it and agrees, either takes theirs back; only the shared choice changes what is confirmed', async () => {
    const { pair, a, b } = await both();
    await revealActivities(a, b);
    const first = await agreementOf(pair.roomId, pair.a.token);
    for (const p of [a, b]) expect(await p.control.send('agreement:confirm', { hash: first.hash })).toMatchObject({ ok: true });

    // Alex proposes: Blake sees the proposal, the agreement (and both confirmations) stay as they were
    expect(await a.control.send('agreement:leave-out', { itemId: 'impact_hand', out: true })).toEqual({ ok: true });
    await until(() => leftOutIn(b)?.a.impact_hand === 1, 1000, 'Blake sees the proposal');
    expect((await agreementOf(pair.roomId, pair.b.token)).confirmedBy).toEqual(['a', 'b']);
    expect(await markdownOf(pair.roomId, pair.b.token)).toContain('Spanking with a hand');

    // Blake agrees: the item is out of the agreement and the exports, and both must confirm again
    expect(await b.control.send('agreement:leave-out', { itemId: 'impact_hand', out: true })).toEqual({ ok: true });
    const out = await agreementOf(pair.roomId, pair.a.token);
    expect(out.leftOut.map((i) => i.id)).toEqual(['impact_hand']);
    expect(out.hash).not.toBe(first.hash);
    expect(out.confirmedBy).toEqual([]);
    const md = await markdownOf(pair.roomId, pair.a.token);
    expect(md).not.toContain('Spanking with a hand');
    expect(md).toContain('**Alex → Blake:** Rope bondage');
    expect(md).toContain('_1 item left out by shared choice._');
    // asking again changes nothing
    expect(await b.control.send('agreement:leave-out', { itemId: 'impact_hand', out: true })).toEqual({ ok: true });
    expect((await agreementOf(pair.roomId, pair.a.token)).hash).toBe(out.hash);

    // Blake takes theirs back: the item is in again, and the first version's confirmations hold again
    expect(await b.control.send('agreement:leave-out', { itemId: 'impact_hand', out: false })).toEqual({ ok: true });
    const back = await agreementOf(pair.roomId, pair.a.token);
    expect(back.leftOut).toEqual([]);
    expect(back.hash).toBe(first.hash);
    expect(await markdownOf(pair.roomId, pair.a.token)).toContain('Spanking with a hand');
    await until(() => leftOutIn(a)?.b.impact_hand === undefined && leftOutIn(a)?.a.impact_hand === 1, 1000, 'Alex sees it taken back');

    // an item nobody answered is in no agreement, so it cannot be left out of one
    expect(await a.control.send('agreement:leave-out', { itemId: 'impact_paddle', out: true })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await a.control.send('agreement:leave-out', { itemId: 'impact_hand' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('LO2 a left-out choice never reveals anything of a section that is not revealed (canaries)', async () => {
    const { pair, a, b } = await both();
    await revealActivities(a, b);
    a.answer('limits_hard', { text: 'CANARY-LO-LIMIT' });
    a.answer('aftercare_next_day', { text: 'CANARY-LO-AFTERCARE' });
    a.answer('frame_scope', { text: 'CANARY-LO-FRAME' });
    await a.private.stored();
    // Blake tries items Alex answered, an item nobody answered, and a made-up id: one answer for all
    const asks = ['limits_hard', 'aftercare_next_day', 'frame_scope', 'aftercare_drop', 'no_such_item'];
    const acks = [];
    for (const itemId of asks) acks.push(await b.control.send('agreement:leave-out', { itemId, out: true }));
    expect(new Set(acks.map((ack) => JSON.stringify(ack))).size).toBe(1);
    expect(acks[0]).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // nor can Alex list their own unrevealed answers
    expect(await a.control.send('agreement:leave-out', { itemId: 'limits_hard', out: true })).toEqual(acks[0]);

    // both leave out an item that is revealed: still nothing of the rest reaches Blake
    expect(await a.control.send('agreement:leave-out', { itemId: 'restraint_rope', out: true })).toEqual({ ok: true });
    expect(await b.control.send('agreement:leave-out', { itemId: 'restraint_rope', out: true })).toEqual({ ok: true });
    await b.caughtUp();
    for (const format of ['json', 'md']) {
      b.recorder.add((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=${format}`, { token: pair.b.token })).text);
    }
    for (const canary of ['CANARY-LO-LIMIT', 'CANARY-LO-AFTERCARE', 'CANARY-LO-FRAME']) expect(b.recorder.contains(canary), canary).toBe(false);
    expect(leftOutIn(b)).toEqual({ a: { restraint_rope: 1 }, b: { restraint_rope: 1 } });
  });

  it('LO3 the choice is the server’s to write: a client writing meta.leftOut into the room doc is closed with 4403 and changes nothing', async () => {
    const { pair, a, b } = await both();
    const writer = openDoc(server.wsUrl, docName.room(pair.roomId), pair.b.token);
    close({ close: () => writer.destroy() });
    await writer.synced;
    writer.doc.getMap('meta').set('leftOut', { a: { impact_hand: 1 }, b: { impact_hand: 1 } });
    expect(await writer.closed).toBe(4403);
    await a.caughtUp();
    expect(leftOutIn(a)).toBeUndefined();
    expect(leftOutIn(b)).toBeUndefined();
  });

  it('LO4 the exports say who confirmed and when, as a date in the reader’s time zone, never "just now"', async () => {
    const { pair, a, b } = await both();
    await revealActivities(a, b);
    const { hash } = await agreementOf(pair.roomId, pair.a.token);
    expect(await a.control.send('agreement:confirm', { hash })).toMatchObject({ ok: true });
    await until(() => (b.room.doc.getMap('meta').get('confirmations') as RoomMeta['confirmations'] | undefined)?.a !== null, 1000, 'confirmation');
    const at = (b.room.doc.getMap('meta').get('confirmations') as RoomMeta['confirmations']).a?.at ?? 0;

    const utc = await markdownOf(pair.roomId, pair.b.token);
    expect(utc).toContain(`- Confirmed by Alex on ${formatDateTime(at)} UTC\n- Not confirmed by Blake`);
    expect(utc).not.toMatch(/just now|Worksheet|version 1/);
    const tokyo = await markdownOf(pair.roomId, pair.b.token, '&tz=Asia/Tokyo');
    expect(tokyo).toContain(`- Confirmed by Alex on ${formatDateTime(at, 'Asia/Tokyo')}\n`);
    const json = await agreementOf(pair.roomId, pair.b.token);
    expect(json.confirmed).toEqual([{ seat: 'a', at: new Date(at).toISOString() }]);
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=md&tz=Mars/Olympus`, { token: pair.b.token })).status).toBe(400);
  });
});

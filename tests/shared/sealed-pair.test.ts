import { describe, expect, it } from 'vitest';
import { agreementHash, buildAgreement } from '@parley/shared/agreement/build';
import type { RoomDocState } from '@parley/shared/protocol/room-doc';
import { EnvelopeKind, openEnvelope, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import { bindPublicKey, deriveInviteKeys, deriveSeatKeys, generateLinkSecret, inviteSecretOf, verifyPublicKeyBinding, type SeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys, sealedAgreementHash, type PairKeys } from '@parley/shared/sealed/pair';
import { discreetTag } from '@parley/shared/sealed/tags';
import { x25519Agree, x25519FromSeed } from '@parley/shared/sealed/x25519';
import { defaultTemplate } from '@parley/shared/template/default';
import { fromHex, hex, seededRandom } from './sealed-support';

/** X25519 between the partners' devices (issue 16), and the keys both derive from it. */

const ROOM = 'ROOMidROOMidROOMidROOMi';
const SHARED_DOC = `${ROOM}/shared`;

async function pairKeys(seat: 'a' | 'b', own: SeatKeys, partnerPublic: unknown): Promise<PairKeys> {
  const verdict = await derivePairKeys({ roomId: ROOM, seat, identity: own.identity, partnerPublic });
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.keys;
}

async function sealFor(key: AeadKey, context: string, text: string): Promise<Uint8Array> {
  const sealed = await sealEnvelope(key, { kind: EnvelopeKind.update, sender: '00000000000000a1', seq: 1, context }, new TextEncoder().encode(text));
  if (!sealed.ok) throw new Error(sealed.reason);
  return sealed.envelope;
}

/** A room as the server would hold it after B joined: both public keys and their bindings. */
async function pairedRoom() {
  const secretA = generateLinkSecret();
  const secretB = generateLinkSecret();
  const inviteSecret = await inviteSecretOf(secretA);
  const a = await deriveSeatKeys(secretA);
  const b = await deriveSeatKeys(secretB);
  const invite = await deriveInviteKeys(inviteSecret);
  const server = {
    publicKeys: { a: a.identity.publicKey, b: b.identity.publicKey },
    bindings: { a: await bindPublicKey(invite.binding, 'a', a.identity.publicKey), b: await bindPublicKey(invite.binding, 'b', b.identity.publicKey) },
    tokenHashes: [a.authToken, b.authToken, invite.authToken],
  };
  return { a, b, inviteSecret, server };
}

describe('sealed pair keys', () => {
  it('SX1 known answer (RFC 7748 §6.1): the key pair from a seed and the shared secret', async () => {
    const alice = await x25519FromSeed(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = await x25519FromSeed(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(hex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(hex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const fromAlice = await x25519Agree(alice.privateKey, bob.publicKey);
    const fromBob = await x25519Agree(bob.privateKey, alice.publicKey);
    const secret = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(fromAlice.ok && hex(fromAlice.secret)).toBe(secret);
    expect(fromBob.ok && hex(fromBob.secret)).toBe(secret);
    expect(alice.privateKey.extractable).toBe(false);
  });

  it('SX2 both devices derive the same keys: what A seals for the shared doc B opens, each way', async () => {
    const { a, b, server } = await pairedRoom();
    const atA = await pairKeys('a', a, server.publicKeys.b);
    const atB = await pairKeys('b', b, server.publicKeys.a);
    expect((await openEnvelope(atB.shared, await sealFor(atA.shared, SHARED_DOC, 'our note'), SHARED_DOC)).ok).toBe(true);
    expect((await openEnvelope(atA.shared, await sealFor(atB.shared, SHARED_DOC, 'reply'), SHARED_DOC)).ok).toBe(true);
    expect((await openEnvelope(atB.notes, await sealFor(atA.notes, 'pause', 'tea break'), 'pause')).ok).toBe(true);
    const tagA = await discreetTag(await atA.roundKey('activities', 1), 'impact_hand', 'aToB');
    const tagB = await discreetTag(await atB.roundKey('activities', 1), 'impact_hand', 'aToB');
    expect(tagA.ok && tagB.ok && hex(tagA.tag) === hex(tagB.tag)).toBe(true);
  });

  it('SX3 escrow keys are per seat: A’s escrow cannot be handed back to A as if it were B’s', async () => {
    const { a, b, server } = await pairedRoom();
    const atA = await pairKeys('a', a, server.publicKeys.b);
    const atB = await pairKeys('b', b, server.publicKeys.a);
    const slot = `${ROOM}/escrow/activities/1`;
    const fromA = await sealFor(atA.escrow.a, slot, 'A says yes');
    expect((await openEnvelope(atB.escrow.a, fromA, slot)).ok).toBe(true);
    expect(await openEnvelope(atA.escrow.b, fromA, slot)).toEqual({ ok: false, reason: 'does not authenticate' });
  });

  it('SX4 a leaked invite link plus everything the server stores opens nothing of the pair', async () => {
    const { a, b, inviteSecret, server } = await pairedRoom();
    const atA = await pairKeys('a', a, server.publicKeys.b);
    const note = await sealFor(atA.shared, SHARED_DOC, 'CANARY shared note');
    const escrow = await sealFor(atA.escrow.a, 'slot', 'CANARY answer');
    // The attacker holds the invite secret, so every invite key, and the server's public keys and
    // bindings; it makes its own key pair and pairs with each stored public key, as either seat.
    const invite = await deriveInviteKeys(inviteSecret);
    const attacker = await deriveSeatKeys(generateLinkSecret(seededRandom('attacker')));
    const attempts: AeadKey[] = [invite.preview];
    // It may also claim a stored public key as its own (it cannot have the private key behind it).
    const identities = [attacker.identity, ...(['a', 'b'] as const).map((seat) => ({ ...attacker.identity, publicKey: server.publicKeys[seat] }))];
    for (const seat of ['a', 'b'] as const) {
      for (const identity of identities) {
        for (const publicKey of [server.publicKeys.a, server.publicKeys.b]) {
          const keys = await pairKeys(seat, { ...attacker, identity }, publicKey);
          attempts.push(keys.shared, keys.escrow.a, keys.escrow.b);
        }
      }
    }
    for (const key of attempts) {
      expect((await openEnvelope(key, note, SHARED_DOC)).ok).toBe(false);
      expect((await openEnvelope(key, escrow, 'slot')).ok).toBe(false);
    }
    // … and the server cannot slip its key in: a binding needs the invite secret it never saw.
    expect(await verifyPublicKeyBinding(invite.binding, 'b', attacker.identity.publicKey, server.bindings.b)).toBe(false);
    expect(await verifyPublicKeyBinding(invite.binding, 'b', server.publicKeys.b, server.bindings.b)).toBe(true);
    expect((await openEnvelope((await pairKeys('b', b, server.publicKeys.a)).shared, note, SHARED_DOC)).ok).toBe(true);
  });

  it('SX5 low-order and malformed public keys are refused, never agreed with', async () => {
    const own = await x25519FromSeed(new Uint8Array(32).fill(9));
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const point of lowOrder) expect(await x25519Agree(own.privateKey, fromHex(point))).toEqual({ ok: false, reason: 'weak public key' });
    for (const bad of [new Uint8Array(31), new Uint8Array(33), 'a key', null, Array.from(own.publicKey)]) {
      expect(await x25519Agree(own.privateKey, bad)).toEqual({ ok: false, reason: 'not a public key' });
    }
    expect(await derivePairKeys({ roomId: ROOM, seat: 'a', identity: own, partnerPublic: new Uint8Array(32) })).toEqual({ ok: false, reason: 'weak public key' });
  });

  it('SX6 the agreement hash is keyed: equal on both devices, unlike the plain hash, and different in another room', async () => {
    const room: RoomDocState = { sections: {}, revealed: {}, meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: null, leftOut: { a: {}, b: {} } }, history: [] };
    const agreement = (freeText: string) =>
      buildAgreement({ template: defaultTemplate, room, agreementText: freeText, names: { a: 'Alex', b: 'Sam' }, title: null });
    const { a, b, server } = await pairedRoom();
    const atA = await pairKeys('a', a, server.publicKeys.b);
    const atB = await pairKeys('b', b, server.publicKeys.a);
    const hashA = await sealedAgreementHash(atA.agreement, agreement('safeword: red'));
    expect(hashA).toMatch(/^[0-9a-f]{64}$/);
    expect(await sealedAgreementHash(atB.agreement, agreement('safeword: red'))).toBe(hashA);
    expect(hashA).not.toBe(agreementHash(agreement('safeword: red')));
    expect(await sealedAgreementHash(atA.agreement, agreement('safeword: blue'))).not.toBe(hashA);
    const other = await pairedRoom();
    expect(await sealedAgreementHash((await pairKeys('a', other.a, other.server.publicKeys.b)).agreement, agreement('safeword: red'))).not.toBe(hashA);
  });
});

import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EnvelopeKind, openEnvelope, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import {
  bindPublicKey,
  decodeLinkSecret,
  deriveInviteKeys,
  deriveSeatKeys,
  encodeLinkSecret,
  generateLinkSecret,
  inviteSecretOf,
  KeyLabel,
  verifyPublicKeyBinding,
} from '@parley/shared/sealed/keys';
import { hex, seededRandom } from './sealed-support';

/** Link secrets and HKDF (issue 16): one secret per link; the auth token is the only thing sent. */

const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
const DOC = 'ROOMidROOMidROOMidROOMi/private/PARTICIPANTidPARTICIPA';

/** HKDF info as the design spells it, built by hand: 2-byte length + bytes, per part. */
function info(...parts: string[]): Buffer {
  return Buffer.concat(parts.flatMap((part) => [Buffer.from([0, Buffer.byteLength(part)]), Buffer.from(part)]));
}

async function opens(sealWith: AeadKey, openWith: AeadKey): Promise<boolean> {
  const sealed = await sealEnvelope(sealWith, { kind: EnvelopeKind.update, sender: '0000000000000001', seq: 1, context: DOC }, new Uint8Array([1, 2, 3]));
  if (!sealed.ok) throw new Error(sealed.reason);
  return (await openEnvelope(openWith, sealed.envelope, DOC)).ok;
}

describe('sealed link keys', () => {
  it('SK1 known answer: the auth token is HKDF-SHA-256(secret, no salt, "parley/sealed/v1" | "auth token"), 32 bytes, base64url', async () => {
    const keys = await deriveSeatKeys(SECRET);
    const expected = hkdfSync('sha256', SECRET, Buffer.alloc(0), info('parley/sealed/v1', KeyLabel.auth), 32);
    expect(keys.authToken).toBe(Buffer.from(expected).toString('base64url'));
    // Pinned: changing a label changes every room's tokens and keys, so it must be deliberate.
    expect(keys.authToken).toBe('7ZFCQNvr1ZYfhCVNzEHHrqVpFEHo2dWdEOXLnEdFgw0');
    const invite = await inviteSecretOf(SECRET);
    expect(hex(invite)).toBe(Buffer.from(hkdfSync('sha256', SECRET, Buffer.alloc(0), info('parley/sealed/v1', KeyLabel.invite), 32)).toString('hex'));
    const inviteToken = hkdfSync('sha256', invite, Buffer.alloc(0), info('parley/sealed/v1', KeyLabel.inviteAuth), 32);
    expect((await deriveInviteKeys(invite)).authToken).toBe(Buffer.from(inviteToken).toString('base64url'));
  });

  it('SK2 a link secret is 43 base64url characters; anything else is refused with a reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret) => {
        const text = encodeLinkSecret(secret);
        expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(text).toBe(Buffer.from(secret).toString('base64url'));
        const back = decodeLinkSecret(text);
        expect(back.ok && hex(back.secret)).toBe(hex(secret));
      }),
    );
    const good = encodeLinkSecret(SECRET);
    const bad: [unknown, string][] = [
      [good.slice(1), 'not a link secret: wrong length'],
      [`${good}A`, 'not a link secret: wrong length'],
      [`${good.slice(0, 42)}=`, 'not a link secret: not base64url'],
      [`${good.slice(0, 42)}+`, 'not a link secret: not base64url'],
      [`${good.slice(0, 41)}/A`, 'not a link secret: not base64url'],
      // 43 characters carry 258 bits: the last one's two low bits must be zero.
      [`${good.slice(0, 42)}${good.endsWith('8') ? '9' : 'B'}`, 'not a link secret: not canonical base64url'],
      [undefined, 'not a link secret: wrong length'],
      [42, 'not a link secret: wrong length'],
    ];
    for (const [input, reason] of bad) expect(decodeLinkSecret(input)).toEqual({ ok: false, reason });
    expect(generateLinkSecret(seededRandom('s')).length).toBe(32);
  });

  it('SK3 a second device with the same resume link derives the same token, key pair and keys', async () => {
    const secret = generateLinkSecret();
    const link = `https://parley.example/r/ROOMidROOMidROOMidROOMi#s=${encodeLinkSecret(secret)}`;
    const onPhone = await deriveSeatKeys(secret);
    const read = decodeLinkSecret(new URL(link).hash.slice('#s='.length));
    if (!read.ok) throw new Error(read.reason);
    const onLaptop = await deriveSeatKeys(read.secret);
    expect(onLaptop.authToken).toBe(onPhone.authToken);
    expect(hex(onLaptop.identity.publicKey)).toBe(hex(onPhone.identity.publicKey));
    expect(await opens(onPhone.privateDoc, onLaptop.privateDoc)).toBe(true);
    expect(await opens(onLaptop.keyring, onPhone.keyring)).toBe(true);
  });

  it('SK4 every output is its own: keys of one secret do not open each other, other secrets give other tokens', async () => {
    const seat = await deriveSeatKeys(SECRET);
    const invite = await deriveInviteKeys(await inviteSecretOf(SECRET));
    const aeads = [seat.privateDoc, seat.privateAwareness, seat.keyring, invite.preview];
    for (const [i, x] of aeads.entries()) {
      for (const [j, y] of aeads.entries()) expect(await opens(x, y), `${i} → ${j}`).toBe(i === j);
    }
    const other = await deriveSeatKeys(generateLinkSecret(seededRandom('other')));
    const tokens = new Set([seat.authToken, invite.authToken, other.authToken, encodeLinkSecret(SECRET), encodeLinkSecret(await inviteSecretOf(SECRET))]);
    expect(tokens.size).toBe(5);
    expect(await opens(seat.privateDoc, other.privateDoc)).toBe(false);
  });

  it('SK5 derived keys are not extractable: a script can use them but never read their bytes', async () => {
    const seat = await deriveSeatKeys(SECRET);
    const invite = await deriveInviteKeys(await inviteSecretOf(SECRET));
    const handles = [seat.privateDoc.aead, seat.privateAwareness.aead, seat.keyring.aead, seat.identity.privateKey, invite.binding.mac, invite.preview.aead];
    expect(handles.map((key) => key.extractable)).toEqual(handles.map(() => false));
    await expect(crypto.subtle.exportKey('raw', seat.privateDoc.aead as CryptoKey)).rejects.toThrow();
  });

  it('SK6 a public key binding proves which seat’s key it is, under this invite only', async () => {
    const invite = await deriveInviteKeys(await inviteSecretOf(SECRET));
    const otherInvite = await deriveInviteKeys(generateLinkSecret(seededRandom('other invite')));
    const a = (await deriveSeatKeys(SECRET)).identity.publicKey;
    const b = (await deriveSeatKeys(generateLinkSecret(seededRandom('b')))).identity.publicKey;
    const proof = await bindPublicKey(invite.binding, 'a', a);
    expect(await verifyPublicKeyBinding(invite.binding, 'a', a, proof)).toBe(true);
    expect(await verifyPublicKeyBinding(invite.binding, 'b', a, proof)).toBe(false);
    expect(await verifyPublicKeyBinding(invite.binding, 'a', b, proof)).toBe(false);
    expect(await verifyPublicKeyBinding(otherInvite.binding, 'a', a, proof)).toBe(false);
    expect(await verifyPublicKeyBinding(invite.binding, 'a', a, proof.subarray(1))).toBe(false);
    expect(await verifyPublicKeyBinding(invite.binding, 'a', a, hex(proof))).toBe(false);
    expect(await verifyPublicKeyBinding(invite.binding, 'a', 'not a key', proof)).toBe(false);
    const flipped = proof.slice();
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(await verifyPublicKeyBinding(invite.binding, 'a', a, flipped)).toBe(false);
  });
});

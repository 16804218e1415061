import { describe, expect, it } from 'vitest';
import { CreateSealedRoomBody, SEALED_TEXT_MAX } from '@parley/shared/protocol/http';
import { toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import { deriveInviteKeys, generateLinkSecret, inviteSecretOf } from '@parley/shared/sealed/keys';
import { openName, sealName } from '@parley/shared/sealed/names';

/**
 * A sealed room's title and display names (issue 16): sealed under the invite's preview key, so
 * the server stores strings it cannot read, and the join page opens them with the invite alone.
 */

const previewKey = async () => (await deriveInviteKeys(await inviteSecretOf(generateLinkSecret()))).preview;

async function sealed(key: Awaited<ReturnType<typeof previewKey>>, kind: 'title' | 'a' | 'b', text: string): Promise<string> {
  const result = await sealName(key, kind, text);
  if (!result.ok) throw new Error(result.reason);
  return result.sealed;
}

describe('sealed names', () => {
  it('NS1: a name and a title round-trip, trimmed, and the sealed strings are what the create body accepts, without the text in them', async () => {
    const key = await previewKey();
    const name = await sealed(key, 'a', '  Ålex 🌶 ');
    const title = await sealed(key, 'title', 'Our evening, in full: '.padEnd(80, 'ü'));
    expect(await openName(key, 'a', name)).toEqual({ ok: true, text: 'Ålex 🌶' });
    expect(await openName(key, 'title', title)).toEqual({ ok: true, text: 'Our evening, in full: '.padEnd(80, 'ü') });
    for (const text of [name, title]) {
      expect(text.length).toBeLessThanOrEqual(SEALED_TEXT_MAX);
      expect(text).not.toContain('Alex');
      expect(text).not.toContain(toBase64Url(utf8Bytes('Our evening')));
    }
    // what the server's schema takes as seat a's name and the title
    const body = CreateSealedRoomBody.safeParse({ sealed: true, displayName: name, title, token: 'A'.repeat(43), inviteToken: 'E'.repeat(43), publicKey: 'I'.repeat(43), binding: 'M'.repeat(43) });
    expect(body.success).toBe(true);
  });

  it('NS2: a name opens only as what it was sealed as, under its own room key', async () => {
    const key = await previewKey();
    const name = await sealed(key, 'a', 'Alex');
    expect((await openName(key, 'b', name)).ok).toBe(false);
    expect((await openName(key, 'title', name)).ok).toBe(false);
    expect((await openName(await previewKey(), 'a', name)).ok).toBe(false);
  });

  it('NS3: what does not open is a reason, never an exception: garbage, a flipped character, plain base64url, over-long text', async () => {
    const key = await previewKey();
    const name = await sealed(key, 'a', 'Alex');
    const flipped = name.slice(0, 40) + (name[40] === 'A' ? 'B' : 'A') + name.slice(41);
    for (const bad of [flipped, toBase64Url(utf8Bytes('Alex')), '', '***', 'A'.repeat(SEALED_TEXT_MAX + 1), null, 42, { text: 'Alex' }]) {
      const opened = await openName(key, 'a', bad);
      expect(opened.ok).toBe(false);
    }
  });

  it('NS4: the limits of a standard room hold before sealing: an empty name, 41 characters, control characters are refused', async () => {
    const key = await previewKey();
    expect((await sealName(key, 'a', '   ')).ok).toBe(false);
    expect((await sealName(key, 'b', 'x'.repeat(41))).ok).toBe(false);
    expect((await sealName(key, 'a', 'Al\u202eex')).ok).toBe(false);
    expect((await sealName(key, 'title', 'x'.repeat(81))).ok).toBe(false);
    expect((await sealName(key, 'b', 'x'.repeat(40))).ok).toBe(true);
  });
});

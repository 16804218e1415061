// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeLinkSecret, generateLinkSecret } from '@parley/shared/sealed/keys';
import { resumeUrlFor, saveCredentials, loadCredentials } from '../../client/src/lib/credentials';
import { parseSealedFragment, sealedInviteUrl, sealedResumeUrl } from '../../client/src/lib/sealed-links';

/** A sealed room's links (issue 16): made and read by the client; the secrets live only in fragments. */

const secret = () => encodeLinkSecret(generateLinkSecret());
const ORIGIN = 'https://parley.example';

describe('sealed links (client/src/lib/sealed-links.ts)', () => {
  beforeEach(() => localStorage.clear());

  it('LK1: resume and invite links carry the secret in the fragment; seat b’s resume link adds the invite secret, and each reads back', () => {
    const seat = secret();
    const invite = secret();
    expect(sealedResumeUrl(ORIGIN, 'room1', seat)).toBe(`${ORIGIN}/r/room1#s=${seat}`);
    expect(sealedInviteUrl(ORIGIN, 'room1', invite)).toBe(`${ORIGIN}/join/room1#s=${invite}`);
    const b = sealedResumeUrl(ORIGIN, 'room1', seat, invite);
    expect(b).toBe(`${ORIGIN}/r/room1#s=${seat}&i=${invite}`);
    expect(parseSealedFragment(new URL(b).hash)).toEqual({ kind: 'sealed', secret: seat, invite });
    expect(parseSealedFragment(`#s=${seat}`)).toEqual({ kind: 'sealed', secret: seat, invite: null });
    // nothing before the fragment names a secret
    expect(new URL(b).pathname + new URL(b).search).toBe('/r/room1');
  });

  it('LK2: a standard link is not sealed, and a sealed link cut short or altered is broken, not half-read', () => {
    const seat = secret();
    expect(parseSealedFragment('#t=some-standard-token')).toEqual({ kind: 'none' });
    expect(parseSealedFragment('')).toEqual({ kind: 'none' });
    for (const hash of [`#s=${seat.slice(0, 42)}`, `#s=${seat}x`, `#s=${seat.slice(0, 42)}+`, `#s=${seat}&i=${seat.slice(0, 20)}`, '#s=']) {
      expect(parseSealedFragment(hash), hash).toEqual({ kind: 'broken' });
    }
  });

  it('LK3: one’s own link back in is built from what this browser keeps: #t= in a standard room, #s= (and &i=) in a sealed one', () => {
    const seat = secret();
    const invite = secret();
    expect(resumeUrlFor('room1', { token: 'tok' })).toBe(`${window.location.origin}/r/room1#t=tok`);
    saveCredentials('room2', { token: 'derived', seatSecret: seat, inviteSecret: invite, seat: 'b' });
    const kept = loadCredentials('room2');
    expect(kept).not.toBeNull();
    expect(resumeUrlFor('room2', kept ?? { token: '' })).toBe(`${window.location.origin}/r/room2#s=${seat}&i=${invite}`);
    expect(resumeUrlFor('room2', kept ?? { token: '' })).not.toContain('derived');
  });
});

import { describe, expect, it } from 'vitest';
import type { CreateRoomResponse, RoomView } from '@parley/shared/protocol/http';
import { createPair, http } from '../helpers/api';
import { useServer } from '../helpers/fixtures';
import { startServer } from '../helpers/server';

const server = useServer();

describe('rooms API (contract: HTTP)', () => {
  it('H1 creates a room with tokens and links, and a partner joins once with the invite', async () => {
    const created = await http<CreateRoomResponse>(server.url, 'POST', '/api/rooms', { body: { displayName: '  Alex ', title: 'Friday', revealMode: 'discreet' } });
    expect(created.status).toBe(201);
    const { roomId, participant, invite, resumeUrl } = created.body;
    expect(participant.seat).toBe('a');
    // ≥128 bits of base64url
    expect(participant.token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(invite.url).toBe(`${server.url}/join/${roomId}#i=${invite.token}`);
    expect(resumeUrl).toBe(`${server.url}/r/${roomId}#t=${participant.token}`);

    const joined = await http(server.url, 'POST', `/api/rooms/${roomId}/join`, { body: { inviteToken: invite.token, displayName: 'Blake' } });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ roomId, participant: { seat: 'b' } });

    const again = await http(server.url, 'POST', `/api/rooms/${roomId}/join`, { body: { inviteToken: invite.token, displayName: 'Casey' } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'invite_used', message: expect.any(String) } });

    const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${roomId}`, { token: participant.token });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      roomId,
      title: 'Friday',
      revealMode: 'discreet',
      template: { id: 'default', version: 2 },
      me: { seat: 'a', displayName: 'Alex' },
      partner: { seat: 'b', displayName: 'Blake' },
      paused: false,
    });
    expect(view.body.sections).toHaveLength(11);
    expect(view.body.sections[0]).toEqual({ id: 'arrival', state: 'open', round: 1, ready: { a: false, b: false } });
  });

  it('H2 previews an invite before joining: who invites and to what; a used invite names nobody; wrong or deleted is 404', async () => {
    const created = await http<CreateRoomResponse>(server.url, 'POST', '/api/rooms', { body: { displayName: 'Alex', title: 'Friday' } });
    const { roomId, invite, participant } = created.body;
    const preview = (token: string, id = roomId) => http(server.url, 'GET', `/api/rooms/${id}/invite`, { token });
    const open = await preview(invite.token);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ status: 'open', title: 'Friday', inviterName: 'Alex' });
    expect(open.headers.get('cache-control')).toBe('no-store');
    // looking does not use it
    expect((await http(server.url, 'POST', `/api/rooms/${roomId}/join`, { body: { inviteToken: invite.token, displayName: 'Blake' } })).status).toBe(201);
    const used = await preview(invite.token);
    expect(used.body).toEqual({ status: 'used' });
    expect(used.text).not.toContain('Alex');
    expect(used.text).not.toContain('Friday');
    // a wrong token, another room's id and no token look the same
    const wrong = await preview('x'.repeat(43));
    const foreign = await preview(invite.token, 'AAAAAAAAAAAAAAAAAAAAAA');
    const none = await http(server.url, 'GET', `/api/rooms/${roomId}/invite`);
    for (const res of [wrong, foreign, none]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(wrong.body);
    }
    expect((await http(server.url, 'DELETE', `/api/rooms/${roomId}`, { token: participant.token })).status).toBe(204);
    expect((await preview(invite.token)).status).toBe(404);
  });

  it('H3 answers a wrong invite and an unknown room the same way (404)', async () => {
    const pair = await createPair(server.url);
    const wrong = await http(server.url, 'POST', `/api/rooms/${pair.roomId}/join`, { body: { inviteToken: 'x'.repeat(43), displayName: 'Eve' } });
    const unknown = await http(server.url, 'POST', `/api/rooms/AAAAAAAAAAAAAAAAAAAAAA/join`, { body: { inviteToken: 'x'.repeat(43), displayName: 'Eve' } });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('H4 gives 401 for a missing, wrong or foreign token whether or not the room exists', async () => {
    const one = await createPair(server.url);
    const two = await createPair(server.url);
    const cases = [
      await http(server.url, 'GET', `/api/rooms/${one.roomId}`),
      await http(server.url, 'GET', `/api/rooms/${one.roomId}`, { token: 'nope'.repeat(10) }),
      await http(server.url, 'GET', `/api/rooms/${one.roomId}`, { token: two.a.token }),
      await http(server.url, 'GET', `/api/rooms/AAAAAAAAAAAAAAAAAAAAAA`, { token: one.a.token }),
      await http(server.url, 'GET', `/api/rooms/..%2F..%2Fetc`, { token: one.a.token }),
      await http(server.url, 'DELETE', `/api/rooms/${one.roomId}`, { token: two.b.token }),
      await http(server.url, 'GET', `/api/rooms/${one.roomId}/agreement`, { token: two.a.token }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('H5 rejects bad bodies with the contract error and keeps serving', async () => {
    const bad = [
      { raw: '{"displayName": "Al', status: 400, code: 'bad_request' },
      { body: { displayName: 'Al', extra: true }, status: 400, code: 'bad_request' },
      { body: { displayName: 42 }, status: 400, code: 'bad_request' },
      { body: { displayName: '   ' }, status: 400, code: 'bad_request' },
      { body: { displayName: 'x'.repeat(41) }, status: 400, code: 'bad_request' },
      { body: { displayName: 'Al\u0007ex' }, status: 400, code: 'bad_request' },
      { body: { displayName: 'Al', revealMode: 'loud' }, status: 400, code: 'bad_request' },
      { body: { displayName: 'Al', template: 'nope' }, status: 400, code: 'bad_request' },
      { body: { displayName: 'A'.repeat(200_000) }, status: 413, code: 'payload_too_large' },
      { raw: '[1,2,3]', status: 400, code: 'bad_request' },
    ];
    for (const c of bad) {
      const res = await http(server.url, 'POST', '/api/rooms', c.raw !== undefined ? { raw: c.raw } : { body: c.body });
      expect(res.status, JSON.stringify(c).slice(0, 80)).toBe(c.status);
      expect((res.body as { error: { code: string } }).error.code).toBe(c.code);
    }
    const ok = await http(server.url, 'POST', '/api/rooms', { body: { displayName: 'Still here' } });
    expect(ok.status).toBe(201);
  });

  it('H6 serves templates, health and readiness; metrics only on their own listener (security/metrics-exposure)', async () => {
    const list = await http<{ templates: { id: string; version: number }[] }>(server.url, 'GET', '/api/templates');
    expect(list.body.templates).toContainEqual(expect.objectContaining({ id: 'default', version: 2 }));
    const tpl = await http<{ sections: { id: string }[] }>(server.url, 'GET', '/api/templates/default');
    expect(tpl.body.sections.map((s) => s.id)).toEqual(['arrival', 'frame', 'experience', 'activities', 'curious', 'limits', 'safety', 'emotional', 'aftercare', 'agreement', 'debrief']);
    expect((await http(server.url, 'GET', '/api/templates/nope')).status).toBe(404);
    expect((await http(server.url, 'GET', '/healthz')).body).toEqual({ ok: true });
    expect((await http(server.url, 'GET', '/readyz')).status).toBe(200);
    const metrics = await http(server.url, 'GET', '/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.text).not.toContain('parley_');
    expect((await http(server.url, 'GET', '/api/nothing')).status).toBe(404);
  });

  it('H7 sends security headers: strict CSP, no framing, no referrer', async () => {
    const res = await http(server.url, 'GET', '/healthz');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('H8 deletes a room: its tokens stop working', async () => {
    const pair = await createPair(server.url);
    const del = await http(server.url, 'DELETE', `/api/rooms/${pair.roomId}`, { token: pair.b.token });
    expect(del.status).toBe(204);
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(401);
  });

  it('H9 rate-limits room creation per IP when configured', async () => {
    const limited = await startServer({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await http(limited.url, 'POST', '/api/rooms', { body: { displayName: 'Al' } })).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const res = await http(limited.url, 'POST', '/api/rooms', { body: { displayName: 'Al' } });
      expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    } finally {
      await limited.close();
    }
  });
});

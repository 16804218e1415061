import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import type {
  CreateRoomResponse,
  CreateSealedRoomResponse,
  InvitePreview,
  JoinRoomResponse,
  JoinSealedRoomResponse,
  RevealMode,
  RoomView,
  SealedSeatKey,
} from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { RoomBroadcaster } from '../lib/broadcaster';
import type { RoomLock } from '../lib/room-lock';
import { hashToken, looksLikeToken, newId, newToken } from '../lib/tokens';
import type { PresenceStore } from '../presence/presence-store';
import type { TemplateResolver } from '../templates/template-catalog';
import type { Template } from '@parley/shared/template/schema';
import type { DocStore } from '../store/doc-store';
import { TokenInUseError, type ParticipantRecord, type RoomRecord, type RoomStore, type SectionRecord } from '../store/room-store';
import type { DocHub } from '../yjs/doc-hub';
import type { RoomDocs } from './room-docs';

export interface RoomServiceDeps {
  rooms: RoomStore;
  docs: DocStore;
  hub: DocHub;
  /** erasing a room runs under its lock */
  lock: RoomLock;
  roomDocs: RoomDocs;
  presence: PresenceStore;
  events: RoomBroadcaster;
  templates: TemplateResolver;
  publicUrl: string;
  now: () => number;
  /** called after a room's rows and docs are erased (e.g. a SQLite checkpoint) */
  afterErase?: () => Promise<void>;
}

/** What a sealed room's client sends for its seat: its own auth token, its X25519 public key and the key's binding (base64url, validated). */
export interface SealedSeatInput {
  token: string;
  publicKey: string;
  binding: string;
}

const fromBase64Url = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));
const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

const tokenInUse = () =>
  new ParleyError('invite_used', 'This token is already in use: make new secrets and create the room again.', 'token_in_use');

export const inviteUrl = (publicUrl: string, roomId: string, token: string) => `${publicUrl}/join/${roomId}#i=${token}`;
export const resumeUrl = (publicUrl: string, roomId: string, token: string) => `${publicUrl}/r/${roomId}#t=${token}`;

/** Creating, joining, reading, pausing and erasing rooms. */
/** how long touches wait to be written together */
const TOUCH_FLUSH_MS = 5_000;

export class RoomService {
  private readonly touched = new Set<string>();
  private touchTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RoomServiceDeps) {}

  /** `template`: a built-in's id, or (workshop rooms) the workshop's template as resolved. */
  async create(input: { displayName: string; template: string | Template; revealMode: RevealMode; title?: string | undefined; workshopId?: string | null }): Promise<CreateRoomResponse> {
    const token = newToken();
    const invite = newToken();
    const { roomId, creatorId } = await this.insertRoom({ ...input, sealed: null, token, inviteToken: invite });
    return {
      roomId,
      participant: { id: creatorId, seat: 'a', token },
      invite: { token: invite, url: inviteUrl(this.deps.publicUrl, roomId, invite) },
      resumeUrl: resumeUrl(this.deps.publicUrl, roomId, token),
    };
  }

  /**
   * A sealed room (issue 16): the client made seat a's token, the invite's token, the public key
   * and its binding; the server stores the tokens' hashes and the key, and answers neither a
   * token nor a link (the client builds the links from its secrets). `title` and `displayName`
   * are the client's sealed strings, stored as they are. A token already in use →
   * `invite_used` / `token_in_use`, and nothing is stored.
   */
  async createSealed(input: SealedSeatInput & { displayName: string; template: string; revealMode: RevealMode; title?: string | undefined; inviteToken: string }): Promise<CreateSealedRoomResponse> {
    const { roomId, creatorId } = await this.insertRoom({ ...input, sealed: { publicKey: input.publicKey, binding: input.binding } });
    return { roomId, participant: { id: creatorId, seat: 'a' }, sealed: true };
  }

  private async insertRoom(input: {
    displayName: string;
    template: string | Template;
    revealMode: RevealMode;
    title?: string | undefined;
    workshopId?: string | null;
    token: string;
    inviteToken: string;
    sealed: SealedSeatKey | null;
  }): Promise<{ roomId: string; creatorId: string }> {
    const template = typeof input.template === 'string' ? this.deps.templates.builtin(input.template) : input.template;
    const at = this.deps.now();
    const room: RoomRecord = {
      id: newId(),
      title: input.title ? input.title : null,
      revealMode: input.revealMode,
      templateId: template.id,
      templateVersion: template.version,
      createdAt: at,
      touchedAt: at,
      workshopId: input.workshopId ?? null,
      sealed: input.sealed !== null,
    };
    const creator = this.participant(room.id, 'a', input.displayName, input.token, at, input.sealed);
    const sections: SectionRecord[] = template.sections.map((s) => ({
      roomId: room.id,
      sectionId: s.id,
      state: 'open',
      round: 1,
      readyA: false,
      readyB: false,
      revealedAt: null,
    }));
    try {
      await this.deps.rooms.createRoom({ room, creator, inviteHash: hashToken(input.inviteToken), sections });
    } catch (error) {
      throw error instanceof TokenInUseError ? tokenInUse() : error;
    }
    // The room doc stays a server-written y-websocket doc in a sealed room too (sealed-rooms.md §4).
    await this.deps.roomDocs.initialize(room.id, (doc) => {
      for (const row of sections) doc.setSection(row);
      doc.setPaused(null);
      doc.setReviewDate(null);
    });
    return { roomId: room.id, creatorId: creator.id };
  }

  async join(roomId: string, input: { inviteToken: string; displayName: string }): Promise<JoinRoomResponse> {
    const token = newToken();
    const joinerId = await this.claimSeat(roomId, { ...input, token, sealed: null });
    return { roomId, participant: { id: joinerId, seat: 'b', token }, resumeUrl: resumeUrl(this.deps.publicUrl, roomId, token) };
  }

  /** Seat b of a sealed room, with the token, public key and binding B's client made; no token or link back. */
  async joinSealed(roomId: string, input: SealedSeatInput & { inviteToken: string; displayName: string }): Promise<JoinSealedRoomResponse> {
    const joinerId = await this.claimSeat(roomId, { ...input, sealed: { publicKey: input.publicKey, binding: input.binding } });
    return { roomId, participant: { id: joinerId, seat: 'b' }, sealed: true };
  }

  /**
   * Uses the invite and seats the joiner. A wrong invite or unknown room is `not_found` before
   * anything else, so only an invite's holder learns whether the room is sealed (a join of the
   * wrong kind is `bad_request`), used, or refuses the token.
   */
  private async claimSeat(roomId: string, input: { inviteToken: string; displayName: string; token: string; sealed: SealedSeatKey | null }): Promise<string> {
    const notFound = new ParleyError('not_found', 'This invite link is not valid.');
    if (!looksLikeToken(input.inviteToken)) throw notFound;
    const at = this.deps.now();
    const joiner = this.participant(roomId, 'b', input.displayName, input.token, at, input.sealed);
    const result = await this.deps.rooms.claimInvite(roomId, hashToken(input.inviteToken), joiner);
    if (result === 'not_found') throw notFound;
    if (result === 'wrong_kind') {
      throw new ParleyError(
        'bad_request',
        input.sealed ? 'This room is not sealed: join it with inviteToken and displayName only.' : 'This room is sealed: join it with token, publicKey and binding.',
      );
    }
    if (result === 'used') throw new ParleyError('invite_used', 'This invite link has already been used.');
    if (result === 'token_in_use') throw tokenInUse();
    await this.deps.rooms.touchRoom(roomId, at);
    return joiner.id;
  }

  /** Who invites and to what, for the join page; a used invite says only that it is used. */
  async invitePreview(roomId: string, inviteToken: unknown): Promise<InvitePreview> {
    const notFound = new ParleyError('not_found', 'This invite link is not valid.');
    if (!looksLikeToken(inviteToken)) throw notFound;
    const state = await this.deps.rooms.inviteState(roomId, hashToken(inviteToken));
    if (state === 'not_found') throw notFound;
    if (state === 'used') return { status: 'used' };
    const [room, participants] = await Promise.all([this.deps.rooms.getRoom(roomId), this.deps.rooms.listParticipants(roomId)]);
    const inviter = participants.find((p) => p.seat === 'a');
    if (!room || !inviter) throw notFound;
    if (room.sealed) return { status: 'open', sealed: true, title: room.title, inviterName: inviter.displayName, ...sealedKey(inviter) };
    return { status: 'open', title: room.title, inviterName: inviter.displayName };
  }

  /** The template version the participant's room was made with. */
  async template(me: ParticipantRecord): Promise<Template> {
    const room = await this.deps.rooms.getRoom(me.roomId);
    if (!room) throw new ParleyError('unauthorized', 'A valid participant token is required.');
    return this.deps.templates.require(room.templateId, room.templateVersion);
  }

  async view(me: ParticipantRecord): Promise<RoomView> {
    const room = await this.deps.rooms.getRoom(me.roomId);
    if (!room) throw new ParleyError('unauthorized', 'A valid participant token is required.');
    const [participants, sections] = await Promise.all([this.deps.rooms.listParticipants(room.id), this.deps.rooms.listSections(room.id)]);
    const paused = await this.deps.roomDocs.read(room.id, (doc) => doc.paused !== null);
    const partner = participants.find((p) => p.id !== me.id) ?? null;
    const template = await this.deps.templates.require(room.templateId, room.templateVersion);
    const order = new Map(template.sections.map((s, i) => [s.id, i]));
    return {
      roomId: room.id,
      title: room.title,
      revealMode: room.revealMode,
      template: { id: room.templateId, version: room.templateVersion },
      me: { id: me.id, seat: me.seat, displayName: me.displayName },
      partner: partner ? { id: partner.id, seat: partner.seat, displayName: partner.displayName } : null,
      sections: [...sections]
        .sort((x, y) => (order.get(x.sectionId) ?? 0) - (order.get(y.sectionId) ?? 0))
        .map((s) => ({ id: s.sectionId, state: s.state, round: s.round, ready: { a: s.readyA, b: s.readyB } })),
      paused,
      createdAt: new Date(room.createdAt).toISOString(),
      sealed: room.sealed,
      ...(room.sealed ? { keys: sealedKeys(participants) } : {}),
    };
  }

  /**
   * Pausing is for either partner; resuming only for the one who paused (consent stays with
   * the person who asked for the break). A pause over the partner's pause changes nothing, so
   * nobody can take a pause over to lift it.
   */
  async pause(me: ParticipantRecord, paused: boolean, note: string | null): Promise<void> {
    // A pause note is content (sealed-rooms.md §1, §9): until it can travel sealed, a sealed room takes none.
    if (note?.trim() && (await this.deps.rooms.getRoom(me.roomId))?.sealed) {
      throw new ParleyError('bad_request', 'A pause note cannot be sent in a sealed room yet: it would reach the server unsealed.');
    }
    const changed = await this.deps.roomDocs.change(me.roomId, (doc) => {
      const current = doc.paused;
      if (current && current.by !== me.seat) {
        if (paused) return null;
        throw new ParleyError('forbidden', 'Only the person who paused can resume. You can ask them to.');
      }
      if (!current && !paused) return null;
      const at = this.deps.now();
      const cleanNote = note?.trim() ? note.trim() : null;
      doc.write((d) => {
        d.setPaused(paused ? { by: me.seat, at, note: cleanNote, resumeAskedAt: null } : null);
        d.addHistory({ type: paused ? 'paused' : 'resumed', seat: me.seat, at });
      });
      return { paused, by: me.seat, note: paused ? cleanNote : null };
    });
    if (changed) this.deps.events.emit(me.roomId, 'room:paused', changed);
  }

  /** The partner who did not pause asks the one who did to resume; they see it on their pause screen. */
  async askToResume(me: ParticipantRecord): Promise<void> {
    const at = await this.deps.roomDocs.change(me.roomId, (doc) => {
      const current = doc.paused;
      if (!current) throw new ParleyError('bad_request', 'The room is not paused.');
      if (current.by === me.seat) throw new ParleyError('bad_request', 'You paused the room: you can resume it yourself.');
      const asked = this.deps.now();
      doc.write((d) => d.setPaused({ ...current, resumeAskedAt: asked }));
      return asked;
    });
    this.deps.events.emit(me.roomId, 'room:resume-requested', { by: me.seat, at });
  }

  /**
   * Erases the room: the erasing mark first, so that every node treats it as deleted from then
   * on (no one gets in, no doc loads, no write is stored); then its live connections are told
   * and closed; then rows and docs go; then the checkpoint takes them out of the files.
   */
  async erase(roomId: string): Promise<void> {
    await this.deps.lock.run(roomId, async () => {
      await this.beginErase(roomId, CloseCode.gone, 'room deleted');
      this.deps.events.announceErase(roomId);
      this.deps.events.emit(roomId, 'room:deleted', {});
      this.deps.events.disconnectRoom(roomId);
      await this.deps.rooms.deleteRoom(roomId, this.deps.now());
      await this.deps.docs.deleteRoomDocs(roomId);
      await this.deps.presence.clearRoom(roomId);
      await this.deps.afterErase?.();
    });
  }

  /**
   * The first half of `erase`, for whoever deletes the rows another way (pairing moves a person
   * out, then deletes their room): marks the room as being erased, in a commit of its own, then
   * closes this node's connections to its docs (Yjs `code`) and waits for their writes in flight.
   * From the mark on, no node loads its docs, answers a sync from them or stores a write for
   * them, so nothing written in the room outlives its rows; `events.announceErase` makes the
   * other nodes close their connections too (the caller decides when, see pairing).
   */
  async beginErase(roomId: string, code: CloseCode, reason: string): Promise<void> {
    await this.deps.rooms.markErasing(roomId, this.deps.now());
    await this.deps.hub.evictRoom(roomId, code, reason);
  }

  /** Undoes `beginErase` when the rows were not deleted after all: the room is usable again. */
  async cancelErase(roomId: string): Promise<void> {
    await this.deps.rooms.clearErasing(roomId);
  }

  /** Another node erased the room: drop what this node holds of it. */
  async erasedElsewhere(roomId: string): Promise<void> {
    await this.deps.hub.evictRoom(roomId, CloseCode.gone, 'room deleted');
    await this.deps.presence.clearRoom(roomId).catch(() => undefined);
  }

  /**
   * Notes activity for ROOM_TTL_DAYS. Touches are coalesced and written every few seconds in
   * the background: a connection's handshake should not wait on a commit for a date that only
   * matters to the day.
   */
  async touch(roomId: string): Promise<void> {
    this.touched.add(roomId);
    this.touchTimer ??= setTimeout(() => void this.flushTouches(), TOUCH_FLUSH_MS);
    this.touchTimer.unref?.();
  }

  /** Writes the pending touches (also called at shutdown). */
  async flushTouches(): Promise<void> {
    if (this.touchTimer) clearTimeout(this.touchTimer);
    this.touchTimer = null;
    const rooms = [...this.touched];
    this.touched.clear();
    const at = this.deps.now();
    for (const roomId of rooms) await this.deps.rooms.touchRoom(roomId, at).catch(() => undefined);
  }

  private participant(roomId: string, seat: Seat, displayName: string, token: string, at: number, sealed: SealedSeatKey | null): ParticipantRecord {
    return {
      id: newId(),
      roomId,
      seat,
      displayName,
      tokenHash: hashToken(token),
      createdAt: at,
      publicKey: sealed ? fromBase64Url(sealed.publicKey) : null,
      binding: sealed ? fromBase64Url(sealed.binding) : null,
    };
  }
}

/** A sealed room's participant's key as the wire carries it. */
function sealedKey(p: ParticipantRecord): SealedSeatKey {
  if (!p.publicKey || !p.binding) throw new Error('a participant of a sealed room has a public key and binding');
  return { publicKey: toBase64Url(p.publicKey), binding: toBase64Url(p.binding) };
}

/** Both seats' keys of a sealed room; b's is null until the join. */
function sealedKeys(participants: readonly ParticipantRecord[]): { a: SealedSeatKey; b: SealedSeatKey | null } {
  const of = (seat: Seat) => {
    const p = participants.find((x) => x.seat === seat);
    return p ? sealedKey(p) : null;
  };
  const a = of('a');
  if (!a) throw new Error('a sealed room has its seat a');
  return { a, b: of('b') };
}

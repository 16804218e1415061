import { ParleyError } from '@parley/shared/protocol/errors';
import { parseDocName } from '@parley/shared/protocol/ids';
import { hashToken, looksLikeToken } from '../lib/tokens';
import type { ParticipantRecord, RoomStore } from '../store/room-store';

export type DocAccess = { ok: true; participant: ParticipantRecord; canWrite: boolean } | { ok: false; error: ParleyError };

const unknownToken = () => new ParleyError('unauthorized', 'unauthorized');
const roomDeleted = () => new ParleyError('unauthorized', 'room deleted', 'room_deleted');

/**
 * Who may do what: a participant token is checked by the hash of what was presented (the
 * unique index does the lookup, so no token comparison leaks timing), then its room. A room
 * being erased is a deleted room from its erasing mark on, on every node (the mark is in the
 * shared store).
 */
/** The two doc endpoints: `/yjs` (y-websocket) and `/sealed` (envelopes). */
export type DocChannel = 'yjs' | 'sealed';

export class Access {
  constructor(private readonly rooms: RoomStore) {}

  /** Whether the room exists and is not being erased: re-checked once a connection is set up. */
  roomIsLive(roomId: string): Promise<boolean> {
    return this.rooms.isRoomLive(roomId);
  }

  /**
   * Like `admit`, for HTTP: every refusal is the same `unauthorized` (401), whether or not the
   * room exists. A token of a deleted room also carries reason `room_deleted`, as on Yjs and the
   * handshake: only whoever held that token learns that their own room is gone.
   */
  async requireParticipant(roomId: string, token: unknown): Promise<ParticipantRecord> {
    const participant = await this.admit(roomId, token);
    if (participant instanceof ParleyError) {
      throw participant.reason === 'room_deleted' ? participant : new ParleyError('unauthorized', 'A valid participant token is required.');
    }
    return participant;
  }

  /**
   * The participant of `roomId` holding `token`, or why not: `unauthorized`, with reason
   * `room_deleted` for a token of a deleted or erasing room (what Yjs answers with 4410). Yjs and
   * the `/room` handshake pass the reason on, and so does HTTP (`requireParticipant`).
   */
  async admit(roomId: string, token: unknown): Promise<ParticipantRecord | ParleyError> {
    if (!looksLikeToken(token)) return unknownToken();
    const hash = hashToken(token);
    const participant = await this.rooms.findParticipantByTokenHash(hash);
    if (!participant) return (await this.rooms.isDeletedToken(hash)) ? roomDeleted() : unknownToken();
    if (participant.roomId !== roomId) return unknownToken();
    if (!(await this.rooms.isRoomLive(roomId))) return roomDeleted();
    return participant;
  }

  /**
   * The contract's Yjs rules: 4401 unknown token, 4410 deleted room, 4403 doc not theirs. One
   * room, one channel: a sealed room's private and shared docs are served only on `/sealed`, a
   * standard room's only on `/yjs` (4403 on the other), so nobody can put envelopes into a
   * standard doc's log or plaintext into a sealed one (close codes: `lib/wire-errors.ts`).
   */
  async doc(roomId: string, docPath: string, token: unknown, channel: DocChannel = 'yjs'): Promise<DocAccess> {
    const participant = await this.admit(roomId, token);
    if (participant instanceof ParleyError) return { ok: false, error: participant };
    const ref = parseDocName(`${roomId}/${docPath}`);
    if (!ref) return { ok: false, error: new ParleyError('forbidden', 'unknown document') };
    if (ref.kind === 'private' && ref.participantId !== participant.id) {
      return { ok: false, error: new ParleyError('forbidden', 'forbidden') };
    }
    // Only the room doc, written by the server, is a y-websocket doc in either kind of room.
    if (ref.kind !== 'room' && ((await this.rooms.getRoom(roomId))?.sealed ?? false) !== (channel === 'sealed')) {
      return { ok: false, error: new ParleyError('forbidden', channel === 'sealed' ? 'standard room: this doc is not served on /sealed' : 'sealed room: this doc is not served on /yjs') };
    }
    return { ok: true, participant, canWrite: ref.kind !== 'room' };
  }
}

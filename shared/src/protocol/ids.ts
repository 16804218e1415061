import { z } from 'zod';

/** Room, participant and workshop ids: 16 random bytes, base64url (22 chars). No path tricks. */
const ID_RE = /^[A-Za-z0-9_-]{10,64}$/;
export const Id = z.string().regex(ID_RE, 'malformed id');
/** Section and item ids of a template. */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'malformed id');

export const Seat = z.enum(['a', 'b']);
export type Seat = z.infer<typeof Seat>;
export const otherSeat = (seat: Seat): Seat => (seat === 'a' ? 'b' : 'a');

export type DocKind = 'private' | 'shared' | 'room';
export type DocRef =
  | { roomId: string; kind: 'private'; participantId: string }
  | { roomId: string; kind: 'shared' | 'room' };

export const docName = {
  private: (roomId: string, participantId: string) => `${roomId}/private/${participantId}`,
  shared: (roomId: string) => `${roomId}/shared`,
  room: (roomId: string) => `${roomId}/room`,
};

/** The room a doc belongs to: the part of its name before the first `/` (the whole name if none). */
export function roomIdOf(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}

/** Parses `<roomId>/private/<participantId>`, `<roomId>/shared` or `<roomId>/room`; null if malformed. */
export function parseDocName(name: string): DocRef | null {
  const parts = name.split('/');
  const [roomId, kind, participantId] = parts;
  if (!roomId || !ID_RE.test(roomId)) return null;
  if (parts.length === 2 && (kind === 'shared' || kind === 'room')) return { roomId, kind };
  if (parts.length === 3 && kind === 'private' && participantId && ID_RE.test(participantId)) {
    return { roomId, kind, participantId };
  }
  return null;
}

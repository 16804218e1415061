import type { PairProgress, SectionProgress, WorkshopState } from '@parley/shared/protocol/workshop';
import type { Template } from '@parley/shared/template/schema';
import type { PresenceStore } from '../presence/presence-store';
import type { RoomStore, SectionRecord } from '../store/room-store';
import type { PairRecord, ProposalRecord, WorkshopRecord, WorkshopStore } from '../store/workshop-store';

/**
 * Builds what a facilitator sees: progress and presence only. Reads the workshop's pair rows,
 * each pair room's participants (names), section rows (state, round, readiness) and presence —
 * never a Yjs document, so no answer, note or agreement text can end up in it. Two things are
 * left out on purpose: pair codes (whoever holds one can ask to pair with that person) and who
 * of a pair is ready (the facilitator needs pace, not a way to press one person).
 */
export async function buildWorkshopState(deps: { workshops: WorkshopStore; rooms: RoomStore; presence: PresenceStore }, workshop: WorkshopRecord, template: Template, joinUrl: string): Promise<WorkshopState> {
  const running = workshop.endedAt === null;
  const [pairs, proposals] = running ? await Promise.all([deps.workshops.listPairs(workshop.id), deps.workshops.listProposals(workshop.id)]) : [[], []];
  const progress = await Promise.all(pairs.map((pair) => pairProgress(deps, pair, proposals)));
  return {
    workshopId: workshop.id,
    title: workshop.title,
    facilitatorName: workshop.facilitatorName,
    joinCode: workshop.joinCode,
    joinUrl,
    template: { id: template.id, version: template.version },
    sectionList: template.sections.map((s) => ({ id: s.id, title: s.title, kind: s.kind })),
    lockSections: workshop.lockSections,
    unlocked: workshop.unlocked,
    timerEndsAt: workshop.timerEndsAt,
    message: workshop.message,
    ended: workshop.endedAt !== null,
    pairs: progress.filter((p): p is PairProgress => p !== null),
  };
}

/** A section's pace without a seat: nobody is singled out as the one who is (not) ready. */
export function sectionProgress(s: SectionRecord): SectionProgress {
  if (s.state === 'revealed') return 'revealed';
  return s.readyA || s.readyB ? 'partly_ready' : 'open';
}

async function pairProgress(deps: { rooms: RoomStore; presence: PresenceStore }, pair: PairRecord, proposals: ProposalRecord[]): Promise<PairProgress | null> {
  const [participants, sections, presence] = await Promise.all([
    deps.rooms.listParticipants(pair.roomId),
    deps.rooms.listSections(pair.roomId),
    deps.presence.list(pair.roomId),
  ]);
  // A pair whose room was erased a moment ago: its row goes with the room.
  if (participants.length === 0) return null;
  const bySeat = (seat: 'a' | 'b') => participants.find((p) => p.seat === seat) ?? null;
  const a = bySeat('a');
  const b = bySeat('b');
  const seen = (id: string | undefined) => (id ? presence.get(id) : undefined);
  const proposal = proposals.find((p) => p.into === pair.roomId || p.from === pair.roomId);
  return {
    roomId: pair.roomId,
    confirmingWith: proposal ? (proposal.into === pair.roomId ? proposal.from : proposal.into) : null,
    names: { a: a?.displayName ?? null, b: b?.displayName ?? null },
    online: { a: seen(a?.id)?.online ?? false, b: seen(b?.id)?.online ?? false },
    focus: { a: seen(a?.id)?.online ? (seen(a?.id)?.focus ?? null) : null, b: seen(b?.id)?.online ? (seen(b?.id)?.focus ?? null) : null },
    sections: sections.map((s) => ({ id: s.sectionId, state: s.state, round: s.round, progress: sectionProgress(s) })),
    hand: pair.handRaised,
    practice: pair.practice,
    createdAt: pair.createdAt,
    activeAt: Math.max(pair.createdAt, ...participants.map((p) => seen(p.id)?.changedAt ?? 0), ...sections.map((s) => s.revealedAt ?? 0)),
  };
}

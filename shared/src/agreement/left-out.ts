import type { Seat } from '../protocol/ids';
import type { RoomMeta } from '../protocol/room-doc';

/**
 * Leaving an item out of the agreement is a shared choice: each seat's choice is kept with the
 * round of the item's section it was made in (`meta.leftOut`), and only both seats' choices in
 * the current round take the item out. A new round brings every item of it back.
 */
export type LeaveOutChoice = Record<Seat, boolean>;

export function leaveOutChoice(leftOut: RoomMeta['leftOut'], itemId: string, round: number): LeaveOutChoice {
  const chose = (seat: Seat) => Object.hasOwn(leftOut[seat], itemId) && leftOut[seat][itemId] === round;
  return { a: chose('a'), b: chose('b') };
}

export function isLeftOut(leftOut: RoomMeta['leftOut'], itemId: string, round: number): boolean {
  const choice = leaveOutChoice(leftOut, itemId, round);
  return choice.a && choice.b;
}

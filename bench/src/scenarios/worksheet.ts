import * as Y from 'yjs';
import type { BenchRoom, OpenedDoc, SeatName, TargetDriver } from '../clients/types';
import { mapLimit, withTimeout } from '../lib/bounded';

/** The worksheet as the bench writes it: K items in one Y.Map, each an answer object. */
export const WORKSHEET = 'worksheet';
const RATINGS = ['favourite', 'yes', 'yes_for_you', 'curious', 'fantasy_only', 'not_now', 'hard_limit', 'unsure'] as const;

export interface WorksheetAnswer {
  giving: string;
  receiving: string;
  updatedAt: number;
  /** edit sequence number within the room: identifies which edit a value came from */
  s: number;
}

export const itemId = (i: number): string => `item-${String(i).padStart(3, '0')}`;

export function answer(seq: number): WorksheetAnswer {
  return { giving: RATINGS[seq % RATINGS.length] ?? 'yes', receiving: RATINGS[(seq >> 3) % RATINGS.length] ?? 'yes', updatedAt: Date.now(), s: seq };
}

export const worksheetOf = (doc: Y.Doc): Y.Map<WorksheetAnswer> => doc.getMap<WorksheetAnswer>(WORKSHEET);

/** Writes all K items in one transaction (a filled-in worksheet). */
export function prefill(doc: Y.Doc, items: number): void {
  const map = worksheetOf(doc);
  doc.transact(() => {
    for (let i = 0; i < items; i++) map.set(itemId(i), answer(0));
  });
}

/** True when `doc` holds every item with the edit number `expected` has for it. */
export function matches(doc: Y.Doc, expected: ReadonlyMap<string, number>): boolean {
  const map = worksheetOf(doc);
  if (map.size < expected.size) return false;
  for (const [key, seq] of expected) if (map.get(key)?.s !== seq) return false;
  return true;
}

/** Edit number of every item of `doc`. */
export function seqsOf(doc: Y.Doc): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of worksheetOf(doc).entries()) out.set(key, value.s);
  return out;
}

export interface Partners {
  room: BenchRoom;
  a: OpenedDoc;
  b: OpenedDoc;
}

/** Opens both partners of every room, `concurrency` at a time, and returns connect→sync times. */
export async function connectPartners(driver: TargetDriver, rooms: BenchRoom[], opts: { concurrency: number; timeoutMs: number }): Promise<{ pairs: Partners[]; syncMs: number[] }> {
  const syncMs: number[] = [];
  const opened: OpenedDoc[] = [];
  const openOne = async (room: BenchRoom, seat: SeatName): Promise<OpenedDoc> => {
    const started = performance.now();
    const doc = driver.openShared(room, seat, new Y.Doc());
    opened.push(doc);
    await doc.synced;
    syncMs.push(performance.now() - started);
    return doc;
  };
  try {
    const pairs = await withTimeout(
      'connect partners',
      opts.timeoutMs,
      mapLimit(rooms, opts.concurrency, async (room) => {
        const a = await openOne(room, 'a');
        const b = await openOne(room, 'b');
        return { room, a, b };
      }),
    );
    return { pairs, syncMs };
  } catch (error) {
    for (const doc of opened) doc.destroy();
    throw error;
  }
}

export function closeAll(docs: Iterable<OpenedDoc>): void {
  for (const d of docs) {
    d.destroy();
    d.doc.destroy();
  }
}

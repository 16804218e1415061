import * as Y from 'yjs';
import { readAnswer } from '@parley/shared/protocol/answers';
import type { Answers } from '@parley/shared/protocol/answers';
import {
  PRIVATE_DOC_KEYS,
  ROOM_DOC_KEYS,
  SHARED_DOC_KEYS,
} from '@parley/shared/protocol/room-doc';
import type {
  HistoryEvent,
  RevealedSection,
  RoomDocState,
  RoomMeta,
  SectionStatus,
} from '@parley/shared/protocol/room-doc';

/** Plain-data readers for the three Yjs documents. The client only ever reads the room doc. */

const toPlain = (value: unknown): unknown =>
  value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value;

function mapToRecord<T>(map: Y.Map<unknown>): Record<string, T> {
  const out: Record<string, T> = {};
  map.forEach((value, key) => {
    out[key] = toPlain(value) as T;
  });
  return out;
}

export function readRoomDoc(doc: Y.Doc): RoomDocState {
  const meta = doc.getMap<unknown>(ROOM_DOC_KEYS.meta);
  const confirmations = toPlain(meta.get('confirmations')) as RoomMeta['confirmations'] | undefined;
  return {
    sections: mapToRecord<SectionStatus>(doc.getMap(ROOM_DOC_KEYS.sections)),
    revealed: mapToRecord<RevealedSection>(doc.getMap(ROOM_DOC_KEYS.revealed)),
    meta: {
      paused: (toPlain(meta.get('paused')) as RoomMeta['paused'] | undefined) ?? null,
      confirmations: { a: confirmations?.a ?? null, b: confirmations?.b ?? null },
      reviewDate: (toPlain(meta.get('reviewDate')) as string | null | undefined) ?? null,
    },
    history: doc
      .getArray<unknown>(ROOM_DOC_KEYS.history)
      .toArray()
      .map((e) => toPlain(e) as HistoryEvent),
  };
}

export interface PrivateState {
  answers: Answers;
  notes: Record<string, string>;
}

export function readPrivateDoc(doc: Y.Doc): PrivateState {
  const answers: Answers = {};
  doc.getMap<unknown>(PRIVATE_DOC_KEYS.answers).forEach((value, key) => {
    const answer = readAnswer(toPlain(value));
    if (answer) answers[key] = answer;
  });
  const notes: Record<string, string> = {};
  doc.getMap<unknown>(PRIVATE_DOC_KEYS.privateNotes).forEach((value, key) => {
    if (typeof value === 'string') notes[key] = value;
  });
  return { answers, notes };
}

export const sharedText = {
  notes: (doc: Y.Doc) => doc.getText(SHARED_DOC_KEYS.notes),
  agreement: (doc: Y.Doc) => doc.getText(SHARED_DOC_KEYS.agreementText),
};

export const privateMaps = {
  answers: (doc: Y.Doc) => doc.getMap<unknown>(PRIVATE_DOC_KEYS.answers),
  notes: (doc: Y.Doc) => doc.getMap<unknown>(PRIVATE_DOC_KEYS.privateNotes),
};

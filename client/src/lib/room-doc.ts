import * as Y from 'yjs';
import { readAnswer } from '@parley/shared/protocol/answers';
import type { Answers } from '@parley/shared/protocol/answers';
import { PRIVATE_DOC_KEYS, SHARED_DOC_KEYS } from '@parley/shared/protocol/room-doc';

/**
 * Plain-data readers of the private and shared docs. The room doc, which the client only ever
 * reads, has its one reader in shared (`readRoomDoc`), used by the server too.
 */

const toPlain = (value: unknown): unknown =>
  value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value;

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

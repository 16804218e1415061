/**
 * What at-rest encryption (`DATA_KEY`) needs from storage beyond `DocStore` / `RoomStore`:
 * the key-check value that start-up verifies the key against, and a walk over every stored
 * secret so `npm run rotate-key` can re-encrypt it. Implemented by the SQLite and Postgres
 * stores over the same database; contract in `tests/store/encryption-store.contract.ts`.
 */
export interface StoredText {
  field: 'room.title' | 'participant.displayName' | 'workshop.title' | 'workshop.facilitatorName' | 'workshop.message' | 'template.body';
  /** the id of the row: room (room title), participant (display name), template version (`templateKey`, template body) or workshop (the others) */
  id: string;
  value: string;
}

export interface EncryptionStore {
  /** The stored key-check value; null if this data was never encrypted. */
  readKeyCheck(): Promise<Uint8Array | null>;
  /** Stores the value unless one exists (several nodes may start at once); false if one did. */
  insertKeyCheck(value: Uint8Array, at: number): Promise<boolean>;
  /** Stores the value, replacing any (rotation). */
  replaceKeyCheck(value: Uint8Array, at: number): Promise<void>;
  /** True if any room, participant, workshop or doc content is stored. */
  hasContent(): Promise<boolean>;
  /** Every doc with a snapshot or an update. */
  listDocNames(): Promise<string[]>;
  /** Every non-null room title, every display name, every workshop's title, facilitator name and message, and every template body. */
  listTexts(): Promise<StoredText[]>;
  /** True if any text `listTexts` would list does not start with `sealedPrefix`, i.e. is stored in plain text. */
  hasPlainText(sealedPrefix: string): Promise<boolean>;
  /** Sets the text to `to` if it still holds `text.value` (a concurrent change wins); true if it did. */
  replaceText(text: StoredText, to: string): Promise<boolean>;
}

/** Where each kind of stored text lives (the same in the SQLite and the Postgres schema). */
export const storedTextColumns: Readonly<Record<StoredText['field'], { table: string; column: string }>> = {
  'room.title': { table: 'rooms', column: 'title' },
  'participant.displayName': { table: 'participants', column: 'display_name' },
  'workshop.title': { table: 'workshops', column: 'title' },
  'workshop.facilitatorName': { table: 'workshops', column: 'facilitator_name' },
  'workshop.message': { table: 'workshops', column: 'message' },
  'template.body': { table: 'workshop_templates', column: 'body' },
};

export const storedTextFields = Object.keys(storedTextColumns) as StoredText['field'][];

/**
 * What at-rest encryption (`DATA_KEY`) needs from storage beyond `DocStore` / `RoomStore`:
 * the key-check value that start-up verifies the key against, and a walk over every stored
 * secret so `npm run rotate-key` can re-encrypt it. Implemented by the SQLite and Postgres
 * stores over the same database; contract in `tests/store/encryption-store.contract.ts`.
 */
export interface StoredText {
  field: 'room.title' | 'participant.displayName';
  /** the room id (title) or participant id (display name) */
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
  /** True if any room, participant or doc content is stored. */
  hasContent(): Promise<boolean>;
  /** Every doc with a snapshot or an update. */
  listDocNames(): Promise<string[]>;
  /** Every non-null room title and every display name. */
  listTexts(): Promise<StoredText[]>;
  /** Sets the text to `to` if it still holds `text.value` (a concurrent change wins); true if it did. */
  replaceText(text: StoredText, to: string): Promise<boolean>;
}

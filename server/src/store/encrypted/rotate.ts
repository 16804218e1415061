import type { DocStore } from '../doc-store';
import type { EncryptionStore, StoredText } from '../encryption-store';
import { CipherError, SEALED_TEXT_PREFIX, sealContext, type DataCipher } from './cipher';
import { DataKeyError, dataKeyMessages, opensKeyCheck, sealKeyCheck } from './key-check';

/** An update that changes nothing: appended so that compaction has something to fold in. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** Passes over data a concurrent writer changed under us before giving up. */
const MAX_PASSES = 5;

/** The context each kind of stored text is sealed for (as the encrypted stores seal it). */
const textContexts: Readonly<Record<StoredText['field'], (id: string) => string>> = {
  'room.title': sealContext.roomTitle,
  'participant.displayName': sealContext.displayName,
  'workshop.title': sealContext.workshopTitle,
  'workshop.facilitatorName': sealContext.facilitatorName,
  'workshop.message': sealContext.workshopMessage,
  'template.body': sealContext.templateBody,
};

export interface ReencryptOptions {
  /** the plain doc store (not the encrypted decorator): rotation reads and writes sealed blobs */
  docs: DocStore;
  encryption: EncryptionStore;
  /** current key = the key to end up with; previous key = the one being replaced, if any */
  cipher: DataCipher;
  /** the compaction merge the server uses (garbage-collecting) */
  merge: (updates: Uint8Array[]) => Uint8Array;
  now: () => number;
  onProgress?: (line: string) => void;
  /**
   * Whether a doc's log holds a sealed room's envelopes (its private and shared docs): those are
   * not Yjs updates, so the merge cannot fold them. They are re-sealed entry by entry, in place
   * (`DocStore.rewriteLog`), so every log position stays what the clients know.
   */
  isSealedDoc?: (docName: string) => Promise<boolean>;
}

export interface ReencryptReport {
  /** `encrypt`: the data was not encrypted before; `rotate`: it was, with the current or previous key */
  mode: 'encrypt' | 'rotate';
  docs: number;
  docsRewritten: number;
  texts: number;
  textsRewritten: number;
}

/**
 * Re-encrypts every doc, room title, display name and workshop text (title, facilitator name,
 * broadcast message) with the cipher's current key, then stores the current key's key check,
 * after which the previous key is no longer needed.
 *
 * Safe to re-run after a crash: nothing depends on the pass having finished, and the key
 * check moves last. In `encrypt` mode (no key check yet) a blob or text counts as encrypted
 * only if it authenticates under the key — a false positive would need a forged GCM tag —
 * so a half-finished first encryption is picked up where it stopped.
 *
 * Nodes may keep running during a rotation if they were restarted with the new key as
 * DATA_KEY and the old one as DATA_KEY_PREVIOUS (they write with the new key only). For a
 * first encryption Parley must be stopped, since a node without DATA_KEY writes plaintext.
 */
export async function reencryptEverything(opts: ReencryptOptions): Promise<ReencryptReport> {
  const { cipher, encryption } = opts;
  const check = await encryption.readKeyCheck();
  if (check && !opensKeyCheck(cipher, check)) throw new DataKeyError(dataKeyMessages.mismatchEither);
  const mode = check ? 'rotate' : 'encrypt';

  /** The plaintext of a stored blob; in `encrypt` mode a blob that does not open is plaintext. */
  const openBlob = (blob: Uint8Array, context: string): Uint8Array => {
    if (mode === 'rotate') return cipher.open(blob, context);
    return orNull(() => cipher.open(blob, context)) ?? blob;
  };
  const isDone = (blob: Uint8Array, context: string): boolean =>
    cipher.isCurrent(blob) && (mode === 'rotate' || orNull(() => cipher.open(blob, context)) !== null);

  const report: ReencryptReport = { mode, docs: 0, docsRewritten: 0, texts: 0, textsRewritten: 0 };

  // Docs whose room is gone are erased, not re-encrypted (no write is stored for them).
  await opts.docs.deleteOrphanDocs();
  const docNames = await encryption.listDocNames();
  report.docs = docNames.length;
  for (const docName of docNames) {
    const context = sealContext.doc(docName);
    let rewritten = false;
    if (await opts.isSealedDoc?.(docName)) {
      for (let pass = 0; ; pass++) {
        const log = await opts.docs.loadLog(docName, 0);
        const blobs = [...(log.snapshot ? [log.snapshot.data] : []), ...log.entries.map((entry) => entry.data)];
        if (blobs.every((blob) => isDone(blob, context))) break;
        if (pass === MAX_PASSES) {
          throw new Error(`${docName} keeps receiving data under another key: is a node still running with the old DATA_KEY?`);
        }
        await opts.docs.rewriteLog(docName, (blob) => (isDone(blob, context) ? null : cipher.seal(openBlob(blob, context), context)));
        rewritten = true;
      }
      if (rewritten) report.docsRewritten++;
      continue;
    }
    for (let pass = 0; ; pass++) {
      const blobs = await opts.docs.loadDoc(docName);
      if (blobs.every((blob) => isDone(blob, context))) break;
      if (pass === MAX_PASSES) {
        throw new Error(`${docName} keeps receiving data under another key: is a node still running with the old DATA_KEY?`);
      }
      // A doc that is only a snapshot has nothing to compact; the empty update gives it one.
      // Refused if its room is being erased (or went meanwhile): the erase takes the doc away.
      const { refused } = await opts.docs.appendUpdates([{ docName, update: cipher.seal(EMPTY_UPDATE, context) }]);
      if (refused.length > 0) break;
      await opts.docs.compactDoc(docName, (sealed) =>
        cipher.seal(opts.merge(sealed.map((blob) => openBlob(blob, context))), context),
      );
      rewritten = true;
    }
    if (rewritten) report.docsRewritten++;
  }
  opts.onProgress?.(`docs: ${report.docsRewritten} of ${report.docs} re-encrypted`);

  const contextOf = (text: StoredText): string => textContexts[text.field](text.id);
  /**
   * The plaintext of a stored text. In `rotate` mode a text without the sealed prefix is
   * plaintext too: a workshop text stored by a version that did not encrypt those yet (start-up
   * refuses until this has run); one with the prefix must open.
   */
  const openText = (text: StoredText): string => {
    if (mode === 'rotate') {
      return text.value.startsWith(SEALED_TEXT_PREFIX) ? cipher.openText(text.value, contextOf(text)) : text.value;
    }
    return orNull(() => cipher.openText(text.value, contextOf(text))) ?? text.value;
  };
  const textDone = (text: StoredText): boolean =>
    cipher.isCurrentText(text.value) && (mode === 'rotate' || orNull(() => cipher.openText(text.value, contextOf(text))) !== null);

  const rewrittenTexts = new Set<string>();
  for (let pass = 0; ; pass++) {
    const texts = await encryption.listTexts();
    if (pass === 0) report.texts = texts.length;
    const pending = texts.filter((text) => !textDone(text));
    if (pending.length === 0) break;
    if (pass === MAX_PASSES) throw new Error('titles, names or messages keep changing under another key: is a node still running with the old DATA_KEY?');
    for (const text of pending) {
      // A row changed or deleted meanwhile is looked at again in the next pass.
      if (await encryption.replaceText(text, cipher.sealText(openText(text), contextOf(text)))) {
        rewrittenTexts.add(`${text.field}:${text.id}`);
      }
    }
  }
  report.textsRewritten = rewrittenTexts.size;
  opts.onProgress?.(`titles, names and messages: ${report.textsRewritten} of ${report.texts} re-encrypted`);

  await encryption.replaceKeyCheck(sealKeyCheck(cipher), opts.now());
  opts.onProgress?.('key check updated: the previous key is no longer needed');
  return report;
}

function orNull<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CipherError) return null;
    throw error;
  }
}

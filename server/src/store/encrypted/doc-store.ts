import type { AppendResult, DocLog, DocStore, DocUpdate, ReplaceOutcome } from '../doc-store';
import { sealContext, type DataCipher } from './cipher';

/**
 * Encrypts every stored update and snapshot of any `DocStore` (AES-256-GCM, the doc name
 * authenticated, see `cipher.ts`). The inner store only ever sees sealed blobs; `merge`
 * of a compaction works on plaintext and its result is sealed again, with the current key —
 * so compaction is also what moves a doc to a new key.
 */
export class EncryptedDocStore implements DocStore {
  constructor(
    private readonly inner: DocStore,
    private readonly cipher: DataCipher,
  ) {}

  async appendUpdates(batch: readonly DocUpdate[]): Promise<AppendResult> {
    return this.inner.appendUpdates(
      batch.map(({ docName, update, logged }) => {
        const sealed = this.cipher.seal(update, sealContext.doc(docName));
        // The same `logged` object: the inner store writes the position where the caller reads it.
        return logged ? { docName, update: sealed, logged } : { docName, update: sealed };
      }),
    );
  }

  async loadLog(docName: string, after: number): Promise<DocLog> {
    const log = await this.inner.loadLog(docName, after);
    const context = sealContext.doc(docName);
    const open = ({ position, data }: { position: number; data: Uint8Array }) => ({ position, data: this.cipher.open(data, context) });
    return { snapshot: log.snapshot ? open(log.snapshot) : null, entries: log.entries.map(open), last: log.last };
  }

  replaceUpTo(docName: string, position: number, snapshot: Uint8Array): Promise<ReplaceOutcome> {
    return this.inner.replaceUpTo(docName, position, this.cipher.seal(snapshot, sealContext.doc(docName)));
  }

  /** `rewrite` sees and answers plaintext; what it answers is sealed with the current key. */
  rewriteLog(docName: string, rewrite: (data: Uint8Array) => Uint8Array | null): Promise<number> {
    const context = sealContext.doc(docName);
    return this.inner.rewriteLog(docName, (sealed) => {
      const data = rewrite(this.cipher.open(sealed, context));
      return data ? this.cipher.seal(data, context) : null;
    });
  }

  async loadDoc(docName: string): Promise<Uint8Array[]> {
    return this.openAll(docName, await this.inner.loadDoc(docName));
  }

  pendingUpdateCount(docName: string): Promise<number> {
    return this.inner.pendingUpdateCount(docName);
  }

  compactDoc(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void> {
    return this.inner.compactDoc(docName, (sealed) =>
      this.cipher.seal(merge(this.openAll(docName, sealed)), sealContext.doc(docName)),
    );
  }

  deleteRoomDocs(roomId: string): Promise<void> {
    return this.inner.deleteRoomDocs(roomId);
  }

  deleteOrphanDocs(): Promise<number> {
    return this.inner.deleteOrphanDocs();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  private openAll(docName: string, sealed: Uint8Array[]): Uint8Array[] {
    const context = sealContext.doc(docName);
    return sealed.map((blob) => this.cipher.open(blob, context));
  }
}

import { CloseCode } from '@parley/shared/protocol/close-codes';
import { concatBytes } from '@parley/shared/sealed/bytes';
import type { ParsedEnvelope } from '@parley/shared/sealed/envelope';
import { encodeServerFrame, POSITION_BYTES, readPosition, writePosition, type ServerFrameOut } from '@parley/shared/sealed/frames';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { closeWith } from '../lib/doc-socket';
import type { DocStore, LogEntry } from '../store/doc-store';
import type { DocBus } from '../yjs/doc-bus';
import { MAX_BUFFERED_BYTES } from '../yjs/connection';
import { RoomGoneError } from '../yjs/room-gone';
import type { WriteBatcher } from '../yjs/write-batcher';
import { DEFAULT_SEALED_LIMITS, SealedFrameGuard, type SealedChannelLimits, type SealedDocKind } from './frame-guard';

export interface SealedDocsOptions {
  store: DocStore;
  /** the standard docs' batcher: sealed appends share its group commits */
  batcher: WriteBatcher;
  log: FastifyBaseLogger;
  /** between nodes; null on one node */
  bus: DocBus | null;
  /** ask a client for a snapshot after this many entries since the last one */
  compactEvery: number;
  /** stored bytes one doc may reach */
  maxDocBytes?: number;
  limits?: SealedChannelLimits;
  roomIsLive: (roomId: string) => Promise<boolean>;
}

/** appends of one connection that may wait for its snapshot (sealed-docs `SealedConnection.append`) */
const MAX_HELD_APPENDS = 64;
const MAX_HELD_BYTES = 1024 * 1024;

/** A sealed doc's bus channel: never the standard doc's, so neither reads the other's messages. */
const busName = (name: string) => `${name}#sealed`;
/** A bus message: the entry's position as in frames, then the envelope. */
function readBusEntry(data: Uint8Array): LogEntry | null {
  if (data.length <= POSITION_BYTES) return null;
  const position = readPosition(data, 0);
  return position === null ? null : { position, data: data.subarray(POSITION_BYTES) };
}

/** The whole envelope a parsed frame carries (a view of the frame): header, then ciphertext and tag. */
const envelopeBytes = (envelope: ParsedEnvelope) =>
  new Uint8Array(envelope.headerBytes.buffer, envelope.headerBytes.byteOffset, envelope.headerBytes.length + envelope.sealed.length);

/** One sealed doc on this node: its connections and how far its log went out to them. */
class SealedDoc {
  readonly conns = new Set<SealedConnection>();
  /** every entry up to here was sent to this node's connections (or they loaded it) */
  relayed = 0;
  /** durable entries that wait for an earlier one (from another node) before they go out */
  readonly waiting = new Map<number, { data: Uint8Array; origin: SealedConnection | null }>();
  /** sizes of the entries after the snapshot, for MAX_DOC_BYTES and compaction */
  readonly sizes = new Map<number, number>();
  snapshotBytes = 0;
  catchingUp = false;
  unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(
    readonly name: string,
    readonly roomId: string,
  ) {}

  get bytes(): number {
    let total = this.snapshotBytes;
    for (const size of this.sizes.values()) total += size;
    return total;
  }
}

/**
 * The sealed docs of this node (docs/sealed-rooms.md §4): an append-only log of envelopes per
 * doc, which the server stores and relays without a key. Appends go through the same write
 * batcher as standard updates; the writer gets `ack` with the entry's log position once it is
 * durable, and only then do the doc's other connections (here, and on other nodes over the doc
 * bus) get the `entry`. Positions of a doc count up by one in commit order (`DocStore`), so
 * every node sends them in order and fills a gap from the store.
 */
export class SealedDocs {
  private readonly docs = new Map<string, SealedDoc>();
  private readonly loading = new Map<string, Promise<SealedDoc>>();
  private readonly limits: SealedChannelLimits;
  private stopResync: (() => void) | null = null;

  constructor(private readonly opts: SealedDocsOptions) {
    this.limits = opts.limits ?? DEFAULT_SEALED_LIMITS;
    const resynced = opts.bus?.resynced.on(() => {
      for (const doc of this.docs.values()) this.catchUp(doc);
    });
    if (resynced) this.stopResync = resynced;
  }

  /** Opens a connection to the doc (`<roomId>/shared` or `<roomId>/private/<id>`), authorized already. */
  async connect(name: string, roomId: string, kind: SealedDocKind, ws: WebSocket, log: FastifyBaseLogger): Promise<SealedConnection> {
    const doc = await this.acquire(name, roomId);
    const conn = new SealedConnection(ws, doc, this, new SealedFrameGuard(kind, this.limits), log);
    doc.conns.add(conn);
    return conn;
  }

  /** Closes every connection to the room's sealed docs (its erase began). */
  evictRoom(roomId: string, code: CloseCode, reason: string): void {
    for (const doc of [...this.docs.values()]) {
      if (doc.roomId !== roomId) continue;
      for (const conn of [...doc.conns]) conn.close(code, reason);
    }
  }

  shutdown(code: CloseCode, reason: string): void {
    this.stopResync?.();
    for (const doc of [...this.docs.values()]) {
      for (const conn of [...doc.conns]) conn.close(code, reason);
    }
  }

  private async acquire(name: string, roomId: string): Promise<SealedDoc> {
    const loaded = this.docs.get(name);
    if (loaded) return loaded;
    let loading = this.loading.get(name);
    if (!loading) {
      loading = this.load(name, roomId).finally(() => this.loading.delete(name));
      this.loading.set(name, loading);
    }
    return loading;
  }

  private async load(name: string, roomId: string): Promise<SealedDoc> {
    const doc = new SealedDoc(name, roomId);
    // Subscribed before the read, so nothing committed elsewhere falls between the two.
    doc.unsubscribe = this.opts.bus?.subscribe(busName(name), (kind, data) => this.fromBus(doc, kind, data)) ?? null;
    await doc.unsubscribe;
    try {
      const log = await this.opts.store.loadLog(name, 0);
      doc.relayed = log.last;
      doc.snapshotBytes = log.snapshot?.data.length ?? 0;
      for (const entry of log.entries) doc.sizes.set(entry.position, entry.data.length);
    } catch (error) {
      void doc.unsubscribe?.then((stop) => stop());
      throw error;
    }
    this.docs.set(name, doc);
    return doc;
  }

  /** @internal the connection went away */
  left(conn: SealedConnection): void {
    const { doc } = conn;
    doc.conns.delete(conn);
    if (doc.conns.size > 0 || this.docs.get(doc.name) !== doc) return;
    this.docs.delete(doc.name);
    void doc.unsubscribe?.then((stop) => stop());
  }

  /** @internal */
  admits(doc: SealedDoc, bytes: number): boolean {
    return doc.bytes + bytes <= (this.opts.maxDocBytes ?? Infinity);
  }

  /** @internal an `append` that passed the guard */
  append(conn: SealedConnection, envelope: Uint8Array): void {
    const { doc } = conn;
    const data = envelope; // a copy: the connection took it out of the frame's buffer, which belongs to ws
    const logged = { position: 0 };
    this.opts.batcher.enqueue({ docName: doc.name, update: data, logged }).then(
      () => {
        const { position } = logged;
        conn.send({ type: 'ack', position });
        this.opts.bus?.publish(busName(doc.name), 'update', concatBytes(writePosition(position), data));
        this.deliver(doc, position, data, conn);
        const since = doc.sizes.size;
        if (since > 0 && since % this.opts.compactEvery === 0) conn.send({ type: 'compact' });
      },
      (error: unknown) => {
        // Not acknowledged, so the client still has it and sends it again.
        if (error instanceof RoomGoneError) return conn.close(CloseCode.gone, 'room deleted');
        this.opts.log.warn({ err: (error as Error).message }, 'sealed append not stored');
        conn.close(CloseCode.unavailable, 'unavailable');
      },
    );
  }

  /** @internal a `snapshot` that passed the guard */
  snapshot(conn: SealedConnection, position: number, envelope: Uint8Array): void {
    const { doc } = conn;
    // It replaces no entry, and a reader from 0 would never be sent it: nothing to store.
    if (position === 0) return conn.snapshotSettled();
    const data = envelope.slice();
    this.opts.store.replaceUpTo(doc.name, position, data).then(
      (outcome) => {
        if (outcome === 'refused') return conn.close(CloseCode.gone, 'room deleted');
        // a client that compacted what it had not been sent yet
        if (outcome === 'ahead') return conn.close(CloseCode.badFrame, 'snapshot past the log');
        // 'behind': another device's snapshot already covers more; this one changes nothing
        if (outcome === 'replaced') {
          doc.snapshotBytes = data.length;
          for (const at of [...doc.sizes.keys()]) if (at <= position) doc.sizes.delete(at);
        }
        conn.snapshotSettled();
      },
      (error: unknown) => {
        this.opts.log.warn({ err: (error as Error).message }, 'sealed snapshot not stored');
        conn.close(CloseCode.unavailable, 'unavailable');
      },
    );
  }

  /** @internal an `awareness` that passed the guard: relayed, never stored */
  awareness(conn: SealedConnection, envelope: Uint8Array): void {
    const data = envelope.slice();
    for (const other of conn.doc.conns) if (other !== conn) other.offerAwareness(data);
    this.opts.bus?.publish(busName(conn.doc.name), 'awareness', data);
  }

  /** @internal a client at `after` asks for what follows: the snapshot if it needs it, then the entries */
  async history(doc: SealedDoc, after: number): Promise<LogEntry[] | null> {
    if (!(await this.opts.roomIsLive(doc.roomId))) return null;
    const log = await this.opts.store.loadLog(doc.name, after);
    return log.snapshot ? [log.snapshot, ...log.entries] : log.entries;
  }

  /** Sends a durable entry to the doc's connections, in position order (except its writer). */
  private deliver(doc: SealedDoc, position: number, data: Uint8Array, origin: SealedConnection | null): void {
    if (position <= doc.relayed) return;
    doc.sizes.set(position, data.length);
    doc.waiting.set(position, { data, origin });
    for (let next = doc.waiting.get(doc.relayed + 1); next; next = doc.waiting.get(doc.relayed + 1)) {
      doc.relayed++;
      doc.waiting.delete(doc.relayed);
      for (const conn of doc.conns) if (conn !== next.origin) conn.offerEntry(doc.relayed, next.data);
    }
    // An entry of another node that committed before this one has not arrived yet.
    if (doc.waiting.size > 0) this.catchUp(doc);
  }

  /** Reads what this node missed (a gap, or a bus outage) from the store and sends it in order. */
  private catchUp(doc: SealedDoc): void {
    if (doc.catchingUp) return;
    doc.catchingUp = true;
    setImmediate(() => {
      this.opts.store
        .loadLog(doc.name, doc.relayed)
        .then((log) => {
          if (log.snapshot) {
            // Compacted meanwhile: the entries it replaced are only in the snapshot now.
            for (const conn of doc.conns) conn.offerEntry(log.snapshot.position, log.snapshot.data);
            doc.relayed = log.snapshot.position;
            for (const at of [...doc.waiting.keys()]) if (at <= doc.relayed) doc.waiting.delete(at);
          }
          for (const entry of log.entries) this.deliver(doc, entry.position, entry.data, doc.waiting.get(entry.position)?.origin ?? null);
          // Still a gap (nothing can fill it): send what waits, in order, rather than hold it.
          const rest = [...doc.waiting.keys()].sort((x, y) => x - y);
          if (rest.length > 0) doc.relayed = (rest[0] as number) - 1;
          for (const at of rest) {
            const waiting = doc.waiting.get(at);
            if (waiting) this.deliver(doc, at, waiting.data, waiting.origin);
          }
        })
        .catch((error: unknown) => this.opts.log.warn({ err: (error as Error).message }, 'sealed catch-up failed'))
        .finally(() => {
          doc.catchingUp = false;
        });
    });
  }

  private fromBus(doc: SealedDoc, kind: 'update' | 'awareness', data: Uint8Array): void {
    if (kind === 'awareness') {
      for (const conn of doc.conns) conn.offerAwareness(data);
      return;
    }
    const entry = readBusEntry(data);
    if (entry) this.deliver(doc, entry.position, entry.data, null);
  }
}

/**
 * One authorized WebSocket on one sealed doc. Every frame passes `SealedFrameGuard` first
 * (4400 garbage, 1009 oversize, 4503 over a rate). Before its `hello` the connection is sent
 * nothing; while its history is read, live entries wait and go out after it, without repeats.
 */
export class SealedConnection {
  private state: 'new' | 'syncing' | 'live' | 'closed' = 'new';
  private held: LogEntry[] = [];
  /** appends that did not fit, waiting for the snapshot this connection was asked for */
  private heldAppends: Uint8Array[] = [];
  private heldBytes = 0;
  private waitingForSnapshot = false;
  private askedForSnapshot = false;

  constructor(
    private readonly ws: WebSocket,
    readonly doc: SealedDoc,
    private readonly docs: SealedDocs,
    private readonly guard: SealedFrameGuard,
    private readonly log: FastifyBaseLogger,
  ) {}

  receive(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    const decision = this.guard.admit(bytes);
    if (!decision.ok) return this.close(decision.close, decision.reason);
    const { frame } = decision;
    switch (frame.type) {
      case 'hello':
        return this.hello(frame.position);
      case 'append':
        return this.append(envelopeBytes(frame.envelope).slice());
      case 'snapshot':
        return this.docs.snapshot(this, frame.position, envelopeBytes(frame.envelope));
      case 'awareness':
        return this.docs.awareness(this, envelopeBytes(frame.envelope));
      case 'unreadable':
        // Diagnostics only: which entry a client could not open, never anything of its content.
        this.log.info({ doc: this.doc.name.includes('/private/') ? 'private' : 'shared', position: frame.position }, 'sealed entry unreadable');
        return;
    }
  }

  /**
   * An append that does not fit the doc is not refused at once: the log may be full of what
   * this client never could read (a hostile partner's junk, `security/sealed-review › SH14`), and
   * this client's snapshot holds none of it. So the writer is asked for a snapshot first, and
   * its appends wait, in order, until that snapshot is stored; then they go in if they fit now,
   * else the connection closes with 1009 as before. One ask per full doc: a second append that
   * does not fit after the snapshot closes at once.
   */
  private append(envelope: Uint8Array): void {
    if (this.waitingForSnapshot) {
      this.heldBytes += envelope.length;
      if (this.heldAppends.push(envelope) > MAX_HELD_APPENDS || this.heldBytes > MAX_HELD_BYTES) this.close(CloseCode.tooBig, 'document too large');
      return;
    }
    if (this.docs.admits(this.doc, envelope.length)) return this.docs.append(this, envelope);
    if (this.askedForSnapshot) return this.close(CloseCode.tooBig, 'document too large');
    this.askedForSnapshot = true;
    this.waitingForSnapshot = true;
    this.heldAppends = [envelope];
    this.heldBytes = envelope.length;
    this.send({ type: 'compact' });
  }

  /** @internal this connection's snapshot was stored (or changed nothing): the held appends go in, if they fit */
  snapshotSettled(): void {
    if (!this.waitingForSnapshot || this.state === 'closed') return;
    this.waitingForSnapshot = false;
    const held = this.heldAppends;
    this.heldAppends = [];
    this.heldBytes = 0;
    for (const envelope of held) {
      if (!this.docs.admits(this.doc, envelope.length)) return this.close(CloseCode.tooBig, 'document too large');
      this.docs.append(this, envelope);
    }
    // It fitted after all: a later fill may ask again.
    this.askedForSnapshot = false;
  }

  private hello(after: number): void {
    this.state = 'syncing';
    this.docs.history(this.doc, after).then(
      (history) => {
        if (this.state === 'closed') return;
        if (!history) return this.close(CloseCode.gone, 'room deleted');
        let sent = after;
        for (const entry of history) {
          this.send({ type: 'entry', position: entry.position, envelope: entry.data });
          sent = Math.max(sent, entry.position);
        }
        for (const entry of this.held) if (entry.position > sent) this.send({ type: 'entry', position: entry.position, envelope: entry.data });
        this.held = [];
        this.state = 'live';
        this.send({ type: 'live' });
      },
      (error: unknown) => {
        this.log.warn({ err: (error as Error).message }, 'sealed history could not be read');
        this.close(CloseCode.unavailable, 'unavailable');
      },
    );
  }

  offerEntry(position: number, data: Uint8Array): void {
    if (this.state === 'live') this.send({ type: 'entry', position, envelope: data });
    else if (this.state === 'syncing') this.held.push({ position, data });
  }

  offerAwareness(data: Uint8Array): void {
    if (this.state === 'live') this.send({ type: 'awareness', envelope: data });
  }

  send(frame: ServerFrameOut): void {
    if (this.state === 'closed' || this.ws.readyState !== this.ws.OPEN) return;
    // A client that stops reading must not make the server buffer without bound.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.unavailable, 'too slow');
      this.ws.terminate();
      return;
    }
    this.ws.send(encodeServerFrame(frame), (error) => {
      if (error) this.close(CloseCode.unavailable, 'send failed');
    });
  }

  close(code: CloseCode, reason: string): void {
    if (this.state === 'closed') return;
    this.onClosed();
    closeWith(this.ws, code, reason);
  }

  onClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.held = [];
    this.heldAppends = [];
    this.docs.left(this);
  }
}

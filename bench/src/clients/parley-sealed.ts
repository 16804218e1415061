import WebSocket from 'ws';
import type * as Y from 'yjs';
import { docName } from '@parley/shared/protocol/ids';
import { toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import type { AeadKey } from '@parley/shared/sealed/envelope';
import { bindPublicKey, deriveInviteKeys, deriveSeatKeys, generateLinkSecret, inviteSecretOf, type SeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys, type PairKeys } from '@parley/shared/sealed/pair';
import { SealedDocProvider, type SocketLike } from '@parley/shared/sealed/provider';
import { timeEditCrypto } from '../scenarios/sealed-crypto';
import { parleyDriver, type ParleyAddress, type ParleyDriver } from './parley';
import { syncSignal, type BenchRoom, type OpenedDoc, type SeatName } from './types';

/**
 * Parley's sealed rooms (issue 16) as two partners' clients make and use them, in Node: the room
 * is created and joined with secrets the "clients" generate (tests/helpers/api.ts
 * `createSealedPair`), each seat derives its pair keys from its X25519 key and the partner's
 * public key, and docs travel through `SealedDocProvider` on `/sealed/…`, so every update is
 * sealed by the writer and opened and validated by the reader here, in the load generator.
 * The room doc and the control channel are the standard ones (a sealed room keeps them).
 */

/** What a seat's client holds after joining: its link's keys and the pair keys it derived. */
export interface SealedSeat {
  keys: SeatKeys;
  pair: PairKeys;
}

/** A sealed doc as a driver opens it: the shared shape, plus the provider (to wait until stored). */
export type SealedOpenedDoc = OpenedDoc & { provider: SealedDocProvider };

export interface SealedParleyDriver extends ParleyDriver {
  /** the keys of a room this driver made */
  seat(room: BenchRoom, seat: SeatName): SealedSeat;
  openShared(room: BenchRoom, seat: SeatName, doc: Y.Doc): SealedOpenedDoc;
  openPrivate(room: BenchRoom, seat: SeatName, doc: Y.Doc): SealedOpenedDoc;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${new URL(url).pathname} → ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/**
 * A `ws` socket behind the provider's `SocketLike` (the browser WebSocket's handler properties),
 * counting the bytes it receives. An adapter rather than a cast: `ws`'s event objects are not
 * the browser's.
 */
class CountingSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  private readonly ws: WebSocket;

  constructor(url: string, counter: { bytes: number }, onClose: (code: number) => void) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', () => this.onopen?.(undefined));
    this.ws.on('message', (data: WebSocket.RawData) => {
      // binaryType 'arraybuffer': one ArrayBuffer per message
      if (!(data instanceof ArrayBuffer)) return;
      counter.bytes += data.byteLength;
      this.onmessage?.({ data });
    });
    this.ws.on('error', (error) => this.onerror?.(error));
    this.ws.on('close', (code, reason) => {
      onClose(code);
      this.onclose?.({ code, reason: reason.toString() });
    });
  }

  get binaryType(): string {
    return this.ws.binaryType;
  }

  set binaryType(_value: string) {
    // always 'arraybuffer' (what the provider asks for)
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: Uint8Array): void {
    this.ws.send(data);
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}

/** One sealed doc through the real client provider, shaped like the other drivers' docs. */
export function openSealed(url: string, context: string, key: AeadKey, doc: Y.Doc, opts: { replayGuard: boolean }): SealedOpenedDoc {
  const counter = { bytes: 0 };
  const closeCodes: number[] = [];
  let destroyed = false;
  const provider = new SealedDocProvider(doc, {
    url,
    context,
    key,
    replayGuard: opts.replayGuard,
    // as the y-websocket clients of the other targets (maxBackoffTime 1000)
    backoff: { minMs: 100, maxMs: 1000 },
    socket: (u) =>
      new CountingSocket(u, counter, (code) => {
        // our own close on destroy is not one the scenario should count
        if (!destroyed) closeCodes.push(code);
      }),
  });
  const signal = syncSignal();
  provider.whenLive().then(signal.resolve, () => undefined);
  return {
    doc,
    provider,
    synced: signal.promise,
    bytesReceived: () => counter.bytes,
    closeCodes,
    destroy: () => {
      destroyed = true;
      provider.destroy();
    },
  };
}

/** Parley with sealed rooms: rooms are sealed, private and shared docs go through `/sealed`. */
export function sealedParleyDriver(server: ParleyAddress): SealedParleyDriver {
  const standard = parleyDriver(server);
  const sealedBase = `${server.httpUrl.replace(/^http/, 'ws')}/sealed`;
  const seats = new Map<string, Record<SeatName, SealedSeat>>();
  const seatOf = (room: BenchRoom, seat: SeatName): SealedSeat => {
    const held = seats.get(room.id);
    if (!held) throw new Error(`room ${room.id} was not made by this driver`);
    return held[seat];
  };
  return {
    ...standard,
    name: 'parley-sealed',
    seat: seatOf,
    createRoom: async (): Promise<BenchRoom> => {
      const secretA = generateLinkSecret();
      const a = await deriveSeatKeys(secretA);
      const invite = await deriveInviteKeys(await inviteSecretOf(secretA));
      const b = await deriveSeatKeys(generateLinkSecret());
      const seatBody = async (seat: SeatName, keys: SeatKeys, name: string) => ({
        token: keys.authToken,
        // opaque to the server (a real client seals the name; the bench does not need to)
        displayName: toBase64Url(utf8Bytes(name)),
        publicKey: toBase64Url(keys.identity.publicKey),
        binding: toBase64Url(await bindPublicKey(invite.binding, seat, keys.identity.publicKey)),
      });
      const created = await post<{ roomId: string; participant: { id: string } }>(`${server.httpUrl}/api/rooms`, {
        sealed: true,
        inviteToken: invite.authToken,
        ...(await seatBody('a', a, 'Alex')),
      });
      const joined = await post<{ participant: { id: string } }>(`${server.httpUrl}/api/rooms/${created.roomId}/join`, {
        inviteToken: invite.authToken,
        ...(await seatBody('b', b, 'Blake')),
      });
      // Each client knows the other's public key from GET /api/rooms/:id and checks its binding
      // (sealed-create-join › SJ tests); the bench holds both, so it derives directly.
      const pairOf = async (seat: SeatName, own: SeatKeys, partner: SeatKeys): Promise<PairKeys> => {
        const derived = await derivePairKeys({ roomId: created.roomId, seat, identity: own.identity, partnerPublic: partner.identity.publicKey });
        if (!derived.ok) throw new Error(`pair keys: ${derived.reason}`);
        return derived.keys;
      };
      seats.set(created.roomId, { a: { keys: a, pair: await pairOf('a', a, b) }, b: { keys: b, pair: await pairOf('b', b, a) } });
      return {
        id: created.roomId,
        a: { id: created.participant.id, token: a.authToken },
        b: { id: joined.participant.id, token: b.authToken },
      };
    },
    openShared: (room, seat, doc) => {
      const context = docName.shared(room.id);
      return openSealed(`${sealedBase}/${context}?token=${room[seat].token}`, context, seatOf(room, seat).pair.shared, doc, { replayGuard: false });
    },
    clientCostPerEdit: async () => {
      const [roomId, held] = seats.entries().next().value ?? [];
      if (!roomId || !held) return {};
      return timeEditCrypto(held.a.pair, roomId);
    },
    openPrivate: (room, seat, doc) => {
      const context = docName.private(room.id, room[seat].id);
      return openSealed(`${sealedBase}/${context}?token=${room[seat].token}`, context, seatOf(room, seat).keys.privateDoc, doc, { replayGuard: true });
    },
  };
}

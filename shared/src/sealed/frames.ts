import type { Verdict } from '../protocol/verdict';
import { concatBytes } from './bytes';
import { EnvelopeKind, parseEnvelope, type EnvelopeProblem, type ParsedEnvelope } from './envelope';

/**
 * Frames of the sealed doc channel (`/sealed/<roomId>/<doc>`, docs/sealed-rooms.md §4; the
 * endpoint is not built yet). One binary WebSocket message is one frame: a type byte, then a
 * log position (8 bytes, big-endian, at most 2^53 − 1) and/or one envelope. Parsing is bounded
 * like `parseEnvelope`: constant work, never throws, no copies.
 */
export const ClientFrameType = { hello: 1, append: 2, snapshot: 3, awareness: 4, unreadable: 5 } as const;
export const ServerFrameType = { entry: 16, ack: 17, live: 18, compact: 19, awareness: 20 } as const;

export type ClientFrame =
  | { type: 'hello'; position: number }
  | { type: 'append'; envelope: ParsedEnvelope }
  | { type: 'snapshot'; position: number; envelope: ParsedEnvelope }
  | { type: 'awareness'; envelope: ParsedEnvelope }
  | { type: 'unreadable'; position: number };

export type ServerFrame =
  | { type: 'entry'; position: number; envelope: ParsedEnvelope }
  | { type: 'ack'; position: number }
  | { type: 'live' }
  | { type: 'compact' }
  | { type: 'awareness'; envelope: ParsedEnvelope };

export type FrameProblem = 'not bytes' | 'empty frame' | 'unknown frame type' | 'wrong frame length' | 'position out of range' | EnvelopeProblem;

export interface FrameLimits {
  /** the largest envelope a frame may carry */
  maxEnvelopeBytes: number;
  /** kinds an `append` may carry on this doc: `update`, plus `keyring` on a private doc */
  appendKinds: readonly EnvelopeKind[];
}

/** A log position on the wire: 8 bytes, big-endian (frames, and the server's doc bus). */
export const POSITION_BYTES = 8;

/** The position at `at`, or null past 2^53 − 1. */
export function readPosition(bytes: Uint8Array, at: number): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, POSITION_BYTES);
  const high = view.getUint32(0);
  if (high > 0x1fffff) return null;
  return high * 2 ** 32 + view.getUint32(4);
}

export function writePosition(position: number): Uint8Array {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError('a log position is a safe non-negative integer');
  const out = new Uint8Array(POSITION_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(position / 2 ** 32));
  view.setUint32(4, position % 2 ** 32);
  return out;
}

type Reader<T> = (bytes: Uint8Array, limits: FrameLimits) => Verdict<{ frame: T }, FrameProblem>;

const positionOnly =
  <T>(make: (position: number) => T): Reader<T> =>
  (bytes) => {
    if (bytes.length !== 1 + POSITION_BYTES) return { ok: false, reason: 'wrong frame length' };
    const position = readPosition(bytes, 1);
    return position === null ? { ok: false, reason: 'position out of range' } : { ok: true, frame: make(position) };
  };

const envelopeAt =
  <T>(offset: number, kinds: (limits: FrameLimits) => readonly EnvelopeKind[], make: (envelope: ParsedEnvelope, position: number) => T): Reader<T> =>
  (bytes, limits) => {
    if (bytes.length < offset) return { ok: false, reason: 'wrong frame length' };
    const position = offset > 1 ? readPosition(bytes, 1) : 0;
    if (position === null) return { ok: false, reason: 'position out of range' };
    const envelope = parseEnvelope(bytes.subarray(offset), { maxBytes: limits.maxEnvelopeBytes, kinds: kinds(limits) });
    return envelope.ok ? { ok: true, frame: make(envelope, position) } : envelope;
  };

const bare =
  <T>(frame: T): Reader<T> =>
  (bytes) =>
    bytes.length === 1 ? { ok: true, frame } : { ok: false, reason: 'wrong frame length' };

const CLIENT_READERS: Record<number, Reader<ClientFrame>> = {
  [ClientFrameType.hello]: positionOnly((position) => ({ type: 'hello', position })),
  [ClientFrameType.append]: envelopeAt(1, (limits) => limits.appendKinds, (envelope) => ({ type: 'append', envelope })),
  [ClientFrameType.snapshot]: envelopeAt(1 + POSITION_BYTES, () => [EnvelopeKind.snapshot], (envelope, position) => ({ type: 'snapshot', position, envelope })),
  [ClientFrameType.awareness]: envelopeAt(1, () => [EnvelopeKind.awareness], (envelope) => ({ type: 'awareness', envelope })),
  [ClientFrameType.unreadable]: positionOnly((position) => ({ type: 'unreadable', position })),
};

const SERVER_READERS: Record<number, Reader<ServerFrame>> = {
  [ServerFrameType.entry]: envelopeAt(1 + POSITION_BYTES, (limits) => [...limits.appendKinds, EnvelopeKind.snapshot], (envelope, position) => ({ type: 'entry', position, envelope })),
  [ServerFrameType.ack]: positionOnly((position) => ({ type: 'ack', position })),
  [ServerFrameType.live]: bare({ type: 'live' }),
  [ServerFrameType.compact]: bare({ type: 'compact' }),
  [ServerFrameType.awareness]: envelopeAt(1, () => [EnvelopeKind.awareness], (envelope) => ({ type: 'awareness', envelope })),
};

function parseWith<T>(readers: Record<number, Reader<T>>, bytes: unknown, limits: FrameLimits): Verdict<{ frame: T }, FrameProblem> {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'not bytes' };
  if (bytes.length === 0) return { ok: false, reason: 'empty frame' };
  const reader = Object.hasOwn(readers, bytes[0] as number) ? readers[bytes[0] as number] : undefined;
  return reader ? reader(bytes, limits) : { ok: false, reason: 'unknown frame type' };
}

/** What the server reads from a client. */
export const parseClientFrame = (bytes: unknown, limits: FrameLimits) => parseWith(CLIENT_READERS, bytes, limits);

/** What a client reads from the server (which it does not trust either). */
export const parseServerFrame = (bytes: unknown, limits: FrameLimits) => parseWith(SERVER_READERS, bytes, limits);

export type ClientFrameOut =
  | { type: 'hello' | 'unreadable'; position: number }
  | { type: 'append' | 'awareness'; envelope: Uint8Array }
  | { type: 'snapshot'; position: number; envelope: Uint8Array };

export type ServerFrameOut =
  | { type: 'entry'; position: number; envelope: Uint8Array }
  | { type: 'ack'; position: number }
  | { type: 'live' | 'compact' }
  | { type: 'awareness'; envelope: Uint8Array };

function frameBytes(type: number, frame: { type: string; position?: number; envelope?: Uint8Array }): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(type)];
  if (frame.position !== undefined) parts.push(writePosition(frame.position));
  if (frame.envelope !== undefined) parts.push(frame.envelope);
  return concatBytes(...parts);
}

export const encodeClientFrame = (frame: ClientFrameOut): Uint8Array => frameBytes(ClientFrameType[frame.type], frame);
export const encodeServerFrame = (frame: ServerFrameOut): Uint8Array => frameBytes(ServerFrameType[frame.type], frame);

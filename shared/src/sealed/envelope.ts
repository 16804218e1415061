import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Verdict } from '../protocol/verdict';
import { concatBytes, utf8Bytes } from './bytes';
import { isBucket, MAX_BUCKET, MIN_BUCKET, pad, unpad } from './padding';
import type { ReplayProblem, SeqGuard } from './replay';
import { ENVELOPE_OVERHEAD, HEADER_BYTES, NONCE_BYTES, SENDER_BYTES } from './sizes';
import { cryptoRandom, subtle, type CryptoKeyLike, type Random } from './webcrypto';

/**
 * The envelope: how every sealed message travels and is stored. The server can read its header
 * and check its shape (`parseEnvelope`, no key needed); only a key holder can open it.
 *
 *   offset size
 *    0      1   version (1)
 *    1      1   kind (EnvelopeKind)
 *    2      8   sender: random per writing session
 *   10      4   seq: big-endian, from 1, one more for every envelope of that sender
 *   14     12   nonce: random
 *   26      n   AES-256-GCM ciphertext of the padded payload (n is a padding bucket)
 *   26+n   16   GCM tag
 *
 * The associated data is the 26 header bytes followed by the UTF-8 context (the doc name, or
 * the name of an escrow slot), so an envelope moved to another doc, given another kind,
 * sender or seq, or altered anywhere, does not open. The context is not sent: both ends know it.
 */
export const ENVELOPE_VERSION = 1;

export const EnvelopeKind = {
  /** a Yjs update of a doc */
  update: 1,
  /** a Yjs snapshot that replaces a doc's log up to a point */
  snapshot: 2,
  /** an awareness update, relayed and never stored */
  awareness: 3,
  /** a section's projection held in escrow for the partner */
  escrow: 4,
  /** one discreet-mode piece, released when its tag matches */
  piece: 5,
  /** a note for the partner (pause, reopen) */
  note: 6,
  /** what a device keeps on the server for its own other devices (the pinned partner key) */
  keyring: 7,
} as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];
const KINDS = new Set<number>(Object.values(EnvelopeKind));

export { ENVELOPE_OVERHEAD, HEADER_BYTES, MAX_ESCROW_BYTES, SENDER_BYTES } from './sizes';
export const MIN_ENVELOPE_BYTES = ENVELOPE_OVERHEAD + MIN_BUCKET;
export const MAX_ENVELOPE_BYTES = ENVELOPE_OVERHEAD + MAX_BUCKET;
export const MAX_SEQ = 0xffffffff;
/** Contexts are ours (doc names, slot names), never input; the cap keeps the AAD small anyway. */
export const MAX_CONTEXT_BYTES = 512;

export interface EnvelopeHeader {
  kind: EnvelopeKind;
  /** 16 lowercase hex digits */
  sender: string;
  seq: number;
}

export type EnvelopeProblem =
  | 'not bytes'
  | 'too short'
  | 'too long'
  | 'size is not a padding bucket'
  | 'unknown version'
  | 'unknown kind'
  | 'unexpected kind'
  | 'sequence number 0'
  | 'context too long'
  | 'does not authenticate'
  | 'malformed padding'
  | ReplayProblem;

export interface EnvelopeLimits {
  /** the largest envelope accepted, at most MAX_ENVELOPE_BYTES */
  maxBytes: number;
  /** the kinds this channel carries; others are refused */
  kinds: readonly EnvelopeKind[];
}

const DEFAULT_LIMITS: EnvelopeLimits = { maxBytes: MAX_ENVELOPE_BYTES, kinds: Object.values(EnvelopeKind) };

export interface ParsedEnvelope extends EnvelopeHeader {
  /** the 26 header bytes (a view) */
  headerBytes: Uint8Array;
  nonce: Uint8Array;
  /** ciphertext and tag (a view) */
  sealed: Uint8Array;
}

/**
 * Reads an envelope's header and checks its shape, without a key: what the server runs on every
 * frame. Constant work whatever the input (it never looks past the header), never throws,
 * allocates only the 16-character sender id.
 */
export function parseEnvelope(bytes: unknown, limits: Partial<EnvelopeLimits> = {}): Verdict<ParsedEnvelope, EnvelopeProblem> {
  const { maxBytes, kinds } = { ...DEFAULT_LIMITS, ...limits };
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'not bytes' };
  if (bytes.length < MIN_ENVELOPE_BYTES) return { ok: false, reason: 'too short' };
  if (bytes.length > Math.min(maxBytes, MAX_ENVELOPE_BYTES)) return { ok: false, reason: 'too long' };
  if (!isBucket(bytes.length - ENVELOPE_OVERHEAD)) return { ok: false, reason: 'size is not a padding bucket' };
  if (bytes[0] !== ENVELOPE_VERSION) return { ok: false, reason: 'unknown version' };
  const kind = bytes[1] as number;
  if (!KINDS.has(kind)) return { ok: false, reason: 'unknown kind' };
  if (!kinds.includes(kind as EnvelopeKind)) return { ok: false, reason: 'unexpected kind' };
  const seq = new DataView(bytes.buffer, bytes.byteOffset + 2 + SENDER_BYTES, 4).getUint32(0);
  if (seq === 0) return { ok: false, reason: 'sequence number 0' };
  return {
    ok: true,
    kind: kind as EnvelopeKind,
    sender: bytesToHex(bytes.subarray(2, 2 + SENDER_BYTES)),
    seq,
    headerBytes: bytes.subarray(0, HEADER_BYTES),
    nonce: bytes.subarray(HEADER_BYTES - NONCE_BYTES, HEADER_BYTES),
    sealed: bytes.subarray(HEADER_BYTES),
  };
}

/** An AES-256-GCM key for envelopes (from `keys.ts`; never extractable). */
export interface AeadKey {
  readonly aead: CryptoKeyLike;
}

/** A fresh sender id for a writing session. */
export const newSender = (random: Random = cryptoRandom): string => bytesToHex(random(SENDER_BYTES));

export interface Seal extends EnvelopeHeader {
  /** the doc name, or the escrow slot's name */
  context: string;
}

/** Pads, encrypts and frames a payload. Refuses only what the caller got wrong (too large, bad header). */
export async function sealEnvelope(key: AeadKey, seal: Seal, payload: Uint8Array, random: Random = cryptoRandom): Promise<Verdict<{ envelope: Uint8Array }>> {
  if (!KINDS.has(seal.kind)) return { ok: false, reason: 'unknown kind' };
  if (!/^[0-9a-f]{16}$/.test(seal.sender)) return { ok: false, reason: 'a sender is 16 hex digits' };
  if (!Number.isInteger(seal.seq) || seal.seq < 1 || seal.seq > MAX_SEQ) return { ok: false, reason: 'seq out of range' };
  const context = contextBytes(seal.context);
  if (!context) return { ok: false, reason: 'context too long' };
  const padded = pad(payload);
  if (!padded.ok) return padded;
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = ENVELOPE_VERSION;
  header[1] = seal.kind;
  header.set(hexToBytes(seal.sender), 2);
  new DataView(header.buffer).setUint32(2 + SENDER_BYTES, seal.seq);
  const nonce = random(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) return { ok: false, reason: 'the random source gave a short nonce' };
  header.set(nonce, HEADER_BYTES - NONCE_BYTES);
  const sealed = await subtle().encrypt({ name: 'AES-GCM', iv: nonce, additionalData: concatBytes(header, context), tagLength: 128 }, key.aead, padded.padded);
  return { ok: true, envelope: concatBytes(header, new Uint8Array(sealed)) };
}

export interface OpenOptions extends Partial<EnvelopeLimits> {
  /** refuses envelopes seen before; records those that open */
  guard?: SeqGuard;
}

export interface OpenedEnvelope extends EnvelopeHeader {
  payload: Uint8Array;
}

/**
 * Opens an envelope sealed for `context`. Every failure is a reason, never an exception: a
 * hostile partner's bytes can make this refuse, nothing else.
 */
export async function openEnvelope(key: AeadKey, bytes: unknown, context: string, options: OpenOptions = {}): Promise<Verdict<OpenedEnvelope, EnvelopeProblem>> {
  const parsed = parseEnvelope(bytes, options);
  if (!parsed.ok) return parsed;
  const contextData = contextBytes(context);
  if (!contextData) return { ok: false, reason: 'context too long' };
  const { guard } = options;
  const fresh = guard?.check(parsed.sender, parsed.seq) ?? { ok: true };
  if (!fresh.ok) return fresh;
  let padded: Uint8Array;
  try {
    const additionalData = concatBytes(parsed.headerBytes, contextData);
    padded = new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: parsed.nonce, additionalData, tagLength: 128 }, key.aead, parsed.sealed));
  } catch {
    return { ok: false, reason: 'does not authenticate' };
  }
  const unpadded = unpad(padded);
  if (!unpadded.ok) return { ok: false, reason: 'malformed padding' };
  // Checked again: another envelope of the same sender and seq may have opened meanwhile.
  const recorded = guard?.record(parsed.sender, parsed.seq) ?? { ok: true };
  if (!recorded.ok) return recorded;
  return { ok: true, kind: parsed.kind, sender: parsed.sender, seq: parsed.seq, payload: unpadded.payload };
}

function contextBytes(context: string): Uint8Array | null {
  const bytes = utf8Bytes(context);
  return bytes.length <= MAX_CONTEXT_BYTES ? bytes : null;
}

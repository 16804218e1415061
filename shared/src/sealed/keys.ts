import type { Seat } from '../protocol/ids';
import type { Verdict } from '../protocol/verdict';
import type { AeadKey } from './envelope';
import { encodeParts, fromBase64Url, toBase64Url } from './bytes';
import { x25519FromSeed, type X25519KeyPair } from './x25519';
import { cryptoRandom, subtle, type CryptoKeyLike, type Random } from './webcrypto';

/**
 * Link secrets and what is derived from them (HKDF-SHA-256 in WebCrypto). Each capability link
 * carries one 32-byte secret in its fragment (`#s=…`, never sent to a server). From it the client
 * derives the auth token — the only value the server ever sees, and stores hashed — and keys the
 * server never sees. Every derivation has its own label, so no two outputs are related.
 *
 *   seat secret (resume link)          invite secret (invite link)
 *   ├ auth token                       ├ auth token (claims seat b once)
 *   ├ private doc key                  ├ binding key (authenticates both X25519 public keys)
 *   ├ private awareness key            └ preview key (title and inviter name on the join page)
 *   ├ X25519 seed → the device's key pair
 *   ├ keyring key (what this seat keeps on the server for its other devices)
 *   └ invite secret (seat a only: so seat a's other devices can check seat b's key too)
 *
 * The keys both partners use come from their X25519 agreement, not from any link (`pair.ts`).
 */
export const LINK_SECRET_BYTES = 32;
const AUTH_TOKEN_BYTES = 32;

/** The prefix of every HKDF info and MAC input of sealed rooms: a new version changes every key. */
export const SEALED_DOMAIN = 'parley/sealed/v1';

export const KeyLabel = {
  auth: 'auth token',
  privateDoc: 'private doc',
  privateAwareness: 'private awareness',
  identity: 'x25519 seed',
  keyring: 'keyring',
  invite: 'invite secret',
  inviteAuth: 'invite auth token',
  binding: 'public key binding',
  preview: 'invite preview',
} as const;
export type KeyLabel = (typeof KeyLabel)[keyof typeof KeyLabel];

/** An HMAC-SHA-256 key (never extractable). */
export interface MacKey {
  readonly mac: CryptoKeyLike;
}

export const generateLinkSecret = (random: Random = cryptoRandom): Uint8Array => random(LINK_SECRET_BYTES);

export const encodeLinkSecret = (secret: Uint8Array): string => toBase64Url(secret);

/** A secret read from a link fragment: exactly 43 base64url characters, or a reason. */
export function decodeLinkSecret(text: unknown): Verdict<{ secret: Uint8Array }> {
  const decoded = fromBase64Url(text, LINK_SECRET_BYTES);
  return decoded.ok ? { ok: true, secret: decoded.bytes } : { ok: false, reason: `not a link secret: ${decoded.reason}` };
}

/** A secret (or agreed secret) ready to derive from. */
export interface KeySource {
  readonly hkdf: CryptoKeyLike;
}

export async function keySource(secret: Uint8Array): Promise<KeySource> {
  return { hkdf: await subtle().importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey']) };
}

const hkdf = (label: string, params: (string | number | Uint8Array)[]) => ({
  name: 'HKDF',
  hash: 'SHA-256',
  // The inputs are uniformly random (link secrets) or hashed in with both public keys (pair.ts), so
  // no salt is needed (RFC 5869 §3.1); the label and parameters separate every output.
  salt: new Uint8Array(0),
  info: encodeParts(SEALED_DOMAIN, label, ...params),
});

export async function deriveBytes(source: KeySource, label: string, params: (string | number | Uint8Array)[], length: number): Promise<Uint8Array> {
  return new Uint8Array(await subtle().deriveBits(hkdf(label, params), source.hkdf, length * 8));
}

export async function deriveAeadKey(source: KeySource, label: string, ...params: (string | number | Uint8Array)[]): Promise<AeadKey> {
  return { aead: await subtle().deriveKey(hkdf(label, params), source.hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) };
}

export async function deriveMacKey(source: KeySource, label: string, ...params: (string | number | Uint8Array)[]): Promise<MacKey> {
  return { mac: await subtle().deriveKey(hkdf(label, params), source.hkdf, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']) };
}

const authToken = async (source: KeySource, label: string): Promise<string> => toBase64Url(await deriveBytes(source, label, [], AUTH_TOKEN_BYTES));

export interface SeatKeys {
  /** sent as the bearer token; the same shape as a standard room's participant token */
  authToken: string;
  privateDoc: AeadKey;
  privateAwareness: AeadKey;
  keyring: AeadKey;
  identity: X25519KeyPair;
}

/** Everything one seat's resume link gives a device. */
export async function deriveSeatKeys(seatSecret: Uint8Array): Promise<SeatKeys> {
  const source = await keySource(seatSecret);
  return {
    authToken: await authToken(source, KeyLabel.auth),
    privateDoc: await deriveAeadKey(source, KeyLabel.privateDoc),
    privateAwareness: await deriveAeadKey(source, KeyLabel.privateAwareness),
    keyring: await deriveAeadKey(source, KeyLabel.keyring),
    identity: await x25519FromSeed(await deriveBytes(source, KeyLabel.identity, [], 32)),
  };
}

/** Seat a's invite secret, derived from seat a's own so that any of seat a's devices has it. */
export async function inviteSecretOf(seatASecret: Uint8Array): Promise<Uint8Array> {
  return deriveBytes(await keySource(seatASecret), KeyLabel.invite, [], LINK_SECRET_BYTES);
}

export interface InviteKeys {
  authToken: string;
  binding: MacKey;
  preview: AeadKey;
}

export async function deriveInviteKeys(inviteSecret: Uint8Array): Promise<InviteKeys> {
  const source = await keySource(inviteSecret);
  return {
    authToken: await authToken(source, KeyLabel.inviteAuth),
    binding: await deriveMacKey(source, KeyLabel.binding),
    preview: await deriveAeadKey(source, KeyLabel.preview),
  };
}

export const BINDING_BYTES = 32;

const bindingInput = (seat: Seat, publicKey: Uint8Array): Uint8Array => encodeParts(SEALED_DOMAIN, KeyLabel.binding, seat, publicKey);

/**
 * A seat's proof that a public key is theirs, under the invite's binding key: the server relays
 * both public keys but, never having seen the invite secret, cannot substitute one.
 */
export async function bindPublicKey(binding: MacKey, seat: Seat, publicKey: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', binding.mac, bindingInput(seat, publicKey)));
}

/** Checks a binding in constant time (WebCrypto's HMAC verify); false for anything malformed. */
export async function verifyPublicKeyBinding(binding: MacKey, seat: Seat, publicKey: unknown, proof: unknown): Promise<boolean> {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  if (!(proof instanceof Uint8Array) || proof.length !== BINDING_BYTES) return false;
  return subtle().verify('HMAC', binding.mac, proof, bindingInput(seat, publicKey));
}

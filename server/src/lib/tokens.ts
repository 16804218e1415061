import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128-bit random id, base64url (22 chars): room, participant, workshop ids. */
export const newId = (): string => randomBytes(16).toString('base64url');

/** 256-bit secret, base64url (43 chars): participant, invite and facilitator tokens. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are stored and looked up only as their SHA-256. */
export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Constant-time, so response timing does not reveal how much of a hash matched. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A well-formed token is base64url of a plausible length; anything else is rejected before hashing. */
export const looksLikeToken = (token: unknown): token is string =>
  typeof token === 'string' && /^[A-Za-z0-9_-]{20,200}$/.test(token);

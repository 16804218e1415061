/**
 * The envelope's fixed sizes (envelope.ts has the format), in a module of constants only, so the
 * control channel's schemas (`protocol/socket.ts`) can cap an escrow without pulling the
 * envelope code into every bundle.
 */
export const SENDER_BYTES = 8;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 2 + SENDER_BYTES + 4 + NONCE_BYTES;
/** The size of an envelope around a bucket: header and tag. */
export const ENVELOPE_OVERHEAD = HEADER_BYTES + TAG_BYTES;
/**
 * The largest escrow envelope (a 32 KiB bucket): the most a `section:ready` or `section:escrow`
 * carries. A 64 KiB bucket would not fit the control channel's 64 KiB message cap.
 */
export const MAX_ESCROW_BYTES = ENVELOPE_OVERHEAD + 32 * 1024;
/**
 * The largest discreet piece (a 1 KiB bucket): one way's rating and conditions, or a choice, fit
 * the first bucket; all of a seat's pieces of a section share one size.
 */
export const MAX_PIECE_BYTES = ENVELOPE_OVERHEAD + 1024;
/** A discreet tag: HMAC-SHA-256 (tags.ts). */
export const DISCREET_TAG_BYTES = 32;
/** The most slots a section may have in discreet mode: what a `section:ready` may carry. */
export const MAX_DISCREET_SLOTS = 1024;

/** WebSocket close codes used on the Yjs endpoint. */
export const CloseCode = {
  /** normal close */
  normal: 1000,
  /** frame larger than MAX_MESSAGE_BYTES */
  tooBig: 1009,
  /** malformed frame */
  badFrame: 4400,
  /** missing or unknown token */
  unauthorized: 4401,
  /** participant may not open / write this doc */
  forbidden: 4403,
  /** room deleted */
  gone: 4410,
  /** shutting down or overloaded; clients retry */
  unavailable: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

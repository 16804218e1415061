import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

/** y-websocket message types (first varUint of every frame). */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** A decoded client frame. Decoding throws on malformed input; the caller closes with 4400. */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncStep2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' };

export class MalformedFrame extends Error {}

export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  let message: ClientMessage;
  switch (type) {
    case MessageType.sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) message = { type: 'syncStep1', stateVector: payload };
      else if (step === syncProtocol.messageYjsSyncStep2) message = { type: 'syncStep2', update: payload };
      else if (step === syncProtocol.messageYjsUpdate) message = { type: 'update', update: payload };
      else throw new MalformedFrame(`unknown sync step ${step}`);
      break;
    }
    case MessageType.awareness:
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      break;
    case MessageType.queryAwareness:
      message = { type: 'queryAwareness' };
      break;
    default:
      throw new MalformedFrame(`unknown message type ${type}`);
  }
  // lib0's readers do not check bounds: a truncated frame reads past the end as undefined/NaN.
  if (decoder.pos > frame.length) throw new MalformedFrame('truncated frame');
  return message;
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

/**
 * `[sync][update][varuint length][update]`, written once into a buffer of the exact size: every
 * relayed update goes through here, and lib0's growing encoder would copy a large one (a
 * revealed section) twice.
 */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const length: number[] = [];
  let n = update.length;
  while (n > 0x7f) {
    length.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 0x80);
  }
  length.push(n);
  const frame = new Uint8Array(2 + length.length + update.length);
  frame[0] = MessageType.sync;
  frame[1] = syncProtocol.messageYjsUpdate;
  frame.set(length, 2);
  frame.set(update, 2 + length.length);
  return frame;
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

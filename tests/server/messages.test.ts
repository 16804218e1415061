import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, encodeUpdate, MessageType } from '@parley/server/yjs/messages';

/** What y-websocket's own server writes for an update: the frame a stock provider expects. */
function stockFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('Yjs frames', () => {
  it('MS1 an update frame is byte for byte the stock one, at every length-prefix size', () => {
    for (const size of [0, 1, 127, 128, 129, 16_383, 16_384, 70_000, 2_100_000]) {
      const update = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
      // Buffer#equals: a deep-equal of megabytes element by element takes seconds.
      expect(Buffer.from(encodeUpdate(update)).equals(Buffer.from(stockFrame(update))), `size ${size}`).toBe(true);
    }
  });

  it('MS2 a real update survives the frame: a stock client applies what it decodes', () => {
    const doc = new Y.Doc();
    doc.getMap('answers').set('impact_play', { giving: 'yes', receiving: 'curious' });
    const decoded = decodeClientMessage(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    expect(decoded.type).toBe('update');
    const copy = new Y.Doc();
    if (decoded.type === 'update') Y.applyUpdate(copy, decoded.update);
    expect(copy.getMap('answers').toJSON()).toEqual({ impact_play: { giving: 'yes', receiving: 'curious' } });
  });
});

import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { HOSTILE_UPDATES } from './hostile-updates';
import { deepJson, NASTY_KEYS, randomValue } from './hostile-values';
import type { Prng } from './prng';
import { mutate, randomUpdate, realAwarenessUpdates, realUpdates } from './yjs-corpus';

/** One frame a fuzz lane sends, with the class it is counted under. */
export interface HostileFrame {
  cls: string;
  data: Uint8Array | string;
}

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};
/** y-websocket framing: message type, then (for sync) the step, then a length-prefixed payload */
const syncFrame = (step: number, payload: Uint8Array) => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, payload)));
const awarenessFrame = (payload: Uint8Array) => frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, payload)));

/** frames that end inside a varint: the type, the sync step, a length or an awareness count */
const TRUNCATED_VARINTS = [[0x80], [0, 0x80], [0, 1, 0xff, 0xff], [1, 0x80, 0x80], [0, 2, 5, 1, 0x80], [0xff, 0xff, 0xff], [1, 3, 0x80]];

type Weighted<T> = [weight: number, make: () => T][];
function weighted<T>(rng: Prng, table: Weighted<T>): T {
  const total = table.reduce((s, [w]) => s + w, 0);
  let roll = rng.next() * total;
  for (const [w, make] of table) {
    roll -= w;
    if (roll < 0) return make();
  }
  return table[table.length - 1]![1]();
}

/**
 * Frames for the Yjs endpoint, drawn from one lane's PRNG: garbage of every shape plus valid
 * frames (a lane's own edits, state vectors, awareness, queries) so that connections also live
 * through several frames. `maxMessageBytes` is the server's cap; "oversized" frames exceed it.
 */
export class YjsFrameSource {
  private readonly updates = realUpdates();
  private readonly syncFrames: Uint8Array[];
  private readonly awareness = realAwarenessUpdates();
  private readonly doc = new Y.Doc();
  private readonly pendingEdits: Uint8Array[] = [];
  private readonly presence: Awareness;

  constructor(
    private readonly rng: Prng,
    private readonly maxMessageBytes: number,
    clientID: number,
  ) {
    this.syncFrames = [...this.updates.map((u) => syncFrame(this.rng.int(3), u)), ...this.awareness.map(awarenessFrame)];
    this.doc.clientID = clientID;
    this.doc.on('update', (u: Uint8Array) => this.pendingEdits.push(u));
    this.presence = new Awareness(this.doc);
  }

  next(): HostileFrame {
    const { rng } = this;
    return weighted<HostileFrame>(rng, [
      [15, () => ({ cls: 'random bytes', data: rng.bytes(rng.chance(0.1) ? rng.int(4096) : rng.int(48)) })],
      [18, () => ({ cls: 'mutated sync/awareness frame', data: mutate(rng, rng.pick(this.syncFrames), this.syncFrames) })],
      [10, () => ({ cls: 'garbage update (mutated)', data: syncFrame(1 + rng.int(2), mutate(rng, rng.pick(this.updates), this.updates)) })],
      [8, () => ({ cls: 'garbage update (random structs)', data: syncFrame(1 + rng.int(2), randomUpdate(rng)) })],
      [3, () => ({ cls: 'known-bad update', data: syncFrame(1 + rng.int(2), rng.pick(HOSTILE_UPDATES).update) })],
      [7, () => ({ cls: 'mutated awareness', data: awarenessFrame(mutate(rng, rng.pick(this.awareness), this.awareness)) })],
      [6, () => ({ cls: 'truncated varint', data: Uint8Array.from(rng.pick(TRUNCATED_VARINTS)) })],
      [6, () => ({ cls: 'huge length', data: this.hugeLength() })],
      [6, () => ({ cls: 'wrong message type', data: frame((e) => (encoding.writeVarUint(e, rng.pick([2, 4, 5, 127, 128, 2 ** 32, 2 ** 53 - 1])), encoding.writeUint8Array(e, rng.bytes(rng.int(8))))) })],
      [3, () => ({ cls: 'awareness abuse', data: this.awarenessAbuse() })],
      [0.4, () => ({ cls: 'oversized', data: this.oversized() })],
      [1, () => ({ cls: 'text frame', data: rng.pick(['hello', '', '{"type":"sync"}', '\u0000']) })],
      [17, () => this.valid()],
    ]);
  }

  private hugeLength(): Uint8Array {
    const { rng } = this;
    const huge = rng.pick([2 ** 31, 2 ** 32 - 1, 2 ** 40, 2 ** 53 - 1, 1e9]);
    return frame((e) => {
      if (rng.chance(0.5)) {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, rng.int(3));
      }
      else encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, huge);
      encoding.writeUint8Array(e, rng.bytes(rng.int(16)));
    });
  }

  /** Well-framed awareness that y-protocols would take: many states, deep JSON, foreign client ids. */
  private awarenessAbuse(): Uint8Array {
    const { rng } = this;
    const count = rng.pick([1, 20, 1000]);
    return awarenessFrame(
      frame((e) => {
        encoding.writeVarUint(e, count);
        for (let i = 0; i < count; i++) {
          encoding.writeVarUint(e, rng.int(2 ** 32));
          encoding.writeVarUint(e, rng.int(100));
          const deep = count === 1 && rng.chance(0.5);
          encoding.writeVarString(e, deep ? deepJson(rng.pick([40, 5000, 100_000]), true) : JSON.stringify({ [rng.pick(NASTY_KEYS)]: rng.pick(['x', 1, null, { y: [] }]) }));
        }
      }),
    );
  }

  private oversized(): Uint8Array {
    const big = new Y.Doc();
    big.getText('notes').insert(0, 'x'.repeat(this.maxMessageBytes + this.rng.int(1000)));
    const update = syncFrame(2, Y.encodeStateAsUpdate(big));
    big.destroy();
    return this.rng.chance(0.5) ? update : this.rng.bytes(this.maxMessageBytes + 1 + this.rng.int(1000));
  }

  /** Frames a stock client could send: they keep a connection open. */
  private valid(): HostileFrame {
    const { rng } = this;
    return weighted<HostileFrame>(rng, [
      [4, () => {
        const notes = this.doc.getText('notes');
        notes.insert(rng.int(notes.length + 1), rng.pick(['a', 'bc', '👋', ' ']));
        if (notes.length > 20 && rng.chance(0.3)) notes.delete(0, 5);
        if (rng.chance(0.2)) this.doc.getMap('answers').set(rng.pick(['x', 'y']), rng.pick([{ rating: 'yes' }, [1, 'two'], 'text', 3, null, { nested: { deep: [true] } }]));
        return { cls: 'valid update', data: syncFrame(2, Y.mergeUpdates(this.pendingEdits.splice(0))) };
      }],
      [2, () => ({ cls: 'valid sync step 1', data: syncFrame(0, Y.encodeStateVector(rng.chance(0.5) ? this.doc : new Y.Doc())) })],
      [1, () => ({ cls: 'valid empty step 2', data: syncFrame(1, Y.encodeStateAsUpdate(new Y.Doc())) })],
      [1, () => ({ cls: 'valid query awareness', data: Uint8Array.of(3) })],
      [2, () => {
        this.presence.setLocalState({ user: { name: rng.pick(['Alex', '__proto__', '']) }, cursor: rng.int(100) });
        return { cls: 'valid awareness', data: awarenessFrame(encodeAwarenessUpdate(this.presence, [this.doc.clientID])) };
      }],
    ]);
  }

  destroy(): void {
    this.presence.destroy();
    this.doc.destroy();
  }
}

/**
 * Raw engine.io v4 packets (text or binary WebSocket messages) for `/socket.io/`: unknown packet
 * types, socket.io packets with broken JSON, reserved and numeric event names, prototype keys,
 * binary placeholders without (or with wrong) attachments, oversized messages.
 */
export function engineIoPacket(rng: Prng, maxMessageBytes: number): HostileFrame {
  const nsp = () => rng.pick(['/room,', '/room,', '/', '/nope,', '/workshop,', '']);
  const json = () => {
    const text = weighted<string>(rng, [
      [4, () => JSON.stringify([rng.pick(['section:ready', 'room:pause', 'presence:update', 'x', '__proto__', 'constructor', 'toString', 'disconnect', 'connect', 'newListener']), randomValue(rng, { maxString: 2000 })])],
      [1, () => JSON.stringify([rng.int(1000), 'numeric event name'])],
      [1, () => JSON.stringify(randomValue(rng)) ?? 'null'],
      [1, () => `["section:ready",${deepJson(rng.pick([100, 5000, 20_000]), rng.chance(0.5))}]`],
    ]);
    return rng.chance(0.15) ? text.slice(0, rng.int(text.length + 1)) : text;
  };
  return weighted<HostileFrame>(rng, [
    [3, () => ({ cls: 'random text', data: String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0x3000))) })],
    [2, () => ({ cls: 'random binary', data: rng.bytes(rng.int(64)) })],
    [3, () => ({ cls: 'engine.io packet type', data: rng.pick(['0', '1', '2', '3', '5', '6', '7', '8', '9', 'a', '2probe', '3probe', '4', '']) + (rng.chance(0.5) ? json() : '') })],
    [8, () => ({ cls: 'socket.io event', data: `42${nsp()}${rng.chance(0.5) ? rng.int(1e6) : ''}${json()}` })],
    [3, () => ({ cls: 'socket.io packet type', data: `4${rng.int(10)}${nsp()}${rng.chance(0.3) ? rng.pick(['1', '99999999999999999999', '-1']) : ''}${json()}` })],
    [2, () => ({ cls: 'socket.io binary placeholder', data: `45${rng.pick(['1', '2', '10', '11', '999999', '0', '-1', 'x'])}-${nsp()}["x",{"_placeholder":true,"num":${rng.pick(['0', '1', '5', '-1', '"__proto__"', '1e9', 'null'])}}]` })],
    [1, () => ({ cls: 'socket.io attachment', data: rng.bytes(1 + rng.int(32)) })],
    [0.3, () => ({ cls: 'oversized', data: rng.chance(0.5) ? `42/room,["x","${'y'.repeat(maxMessageBytes)}"]` : rng.bytes(maxMessageBytes + 1) })],
  ]);
}

/** An event name for the socket.io client lane (never a reserved one: the client refuses those). */
export function socketIoEventName(rng: Prng, commands: readonly string[]): string {
  return weighted<string>(rng, [
    [6, () => rng.pick(commands)],
    [2, () => rng.pick(NASTY_KEYS.filter((k) => k !== ''))],
    [1, () => String.fromCharCode(...Array.from({ length: 1 + rng.int(30) }, () => 32 + rng.int(0x2000)))],
    [0.2, () => 'e'.repeat(10_000)],
  ]);
}

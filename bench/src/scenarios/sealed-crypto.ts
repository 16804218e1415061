import * as Y from 'yjs';
import { docName } from '@parley/shared/protocol/ids';
import { EnvelopeKind, newSender, sealEnvelope } from '@parley/shared/sealed/envelope';
import { openAndValidate } from '@parley/shared/sealed/open-update';
import type { PairKeys } from '@parley/shared/sealed/pair';
import { summarize } from '../lib/stats';
import { summaryMetrics } from './result';
import { answer, itemId, prefill, worksheetOf } from './worksheet';

/** The edits scenario's worksheet size: the reader validates each update against a doc like it. */
const ITEMS = 200;

/**
 * A sealed room's client work for one edit of the edits scenario, one at a time: the writer seals
 * the update (`sealEnvelope`, as `SealedDocProvider` does), the reader opens, validates and
 * applies it (`openAndValidate`). In the scenario both run in the one load generator for every
 * room; timed here in quiet, it is what one device spends, without the generator's queueing.
 */
export async function timeEditCrypto(pair: PairKeys, roomId: string, samples = 200): Promise<Record<string, number>> {
  const context = docName.shared(roomId);
  const writer = new Y.Doc();
  const reader = new Y.Doc();
  prefill(writer, ITEMS);
  Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
  const sender = newSender();
  const sealMs: number[] = [];
  const openMs: number[] = [];
  try {
    for (let seq = 1; seq <= samples; seq++) {
      const captured: { update: Uint8Array | null } = { update: null };
      writer.once('update', (u: Uint8Array) => (captured.update = u));
      worksheetOf(writer).set(itemId(seq % ITEMS), answer(seq));
      const { update } = captured;
      if (!update) throw new Error('no update from the edit');
      let started = performance.now();
      const sealed = await sealEnvelope(pair.shared, { kind: EnvelopeKind.update, sender, seq, context }, update);
      sealMs.push(performance.now() - started);
      if (!sealed.ok) throw new Error(`seal: ${sealed.reason}`);
      started = performance.now();
      const opened = await openAndValidate(reader, sealed.envelope, { key: pair.shared, context, origin: 'bench' });
      openMs.push(performance.now() - started);
      if (!opened.ok) throw new Error(`open: ${opened.reason}`);
    }
  } finally {
    writer.destroy();
    reader.destroy();
  }
  return { ...summaryMetrics('edit_seal', summarize(sealMs), ['p50', 'p99']), ...summaryMetrics('edit_open', summarize(openMs), ['p50', 'p99']) };
}

import type { Answer, Rating } from '@parley/shared/protocol/answers';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Question } from '@parley/shared/template/schema';
import { createPair, type Pair } from '../helpers/api';
import { until } from '../helpers/clients';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { prng, type Prng } from '../helpers/prng';

/**
 * A room as two people leave it after a whole negotiation: every section up to Aftercare
 * answered by both (every activity rated both ways, some with a note, written answers a
 * sentence long) and revealed. Written through the real server as the web client writes, so
 * the agreement screen a test opens on it is the one such a pair would see.
 */

const RATINGS: readonly Rating[] = ['favourite', 'yes', 'yes', 'yes_for_you', 'curious', 'not_now', 'hard_limit', 'fantasy_only', 'unsure'];
const SENTENCES = [
  'Slowly at first, and we talk before anything new.',
  'A quiet evening at home, with time after.',
  'Water, a blanket and being held for a while.',
  'A message the next morning, nothing heavy.',
  'My left shoulder is sore after climbing; no weight on it.',
];

export const REVEALED_SECTIONS = defaultTemplate.sections
  .filter((s) => s.kind !== 'agreement' && s.kind !== 'debrief' && s.items.length > 0)
  .map((s) => s.id);

function answerFor(q: Question, rng: Prng, seat: 'a' | 'b'): Omit<Answer, 'updatedAt'> | null {
  switch (q.type) {
    case 'dual_rating':
      return { giving: rng.pick(RATINGS), receiving: rng.pick(RATINGS), ...(rng.chance(0.1) ? { note: 'Light only, please.' } : {}) };
    case 'rating':
      return { rating: rng.pick(RATINGS) };
    case 'choice':
      return { choice: rng.pick(q.options).id };
    case 'multi':
      return { choices: q.options.filter(() => rng.chance(0.4)).map((o) => o.id).slice(0, 3) };
    case 'scale':
      return { scale: q.min + rng.int(q.max - q.min + 1) };
    case 'text':
      if (q.id === 'safety_safeword') return { text: seat === 'a' ? 'Pineapple' : 'Red' };
      return rng.chance(0.8) ? { text: rng.pick(SENTENCES) } : null;
  }
}

export interface FullRoom {
  pair: Pair;
  a: PartnerSession;
  b: PartnerSession;
  close(): void;
}

export async function fullRoom(url: string, opts: { seed?: number; title?: string } = {}): Promise<FullRoom> {
  const server = { url, wsUrl: url.replace(/^http/, 'ws') };
  const pair = await createPair(url, { title: opts.title ?? 'Our weekend' });
  const a = await joinAs(server, pair.roomId, pair.a);
  const b = await joinAs(server, pair.roomId, pair.b);
  const rng = prng(opts.seed ?? 13);
  for (const sectionId of REVEALED_SECTIONS) {
    const section = defaultTemplate.sections.find((s) => s.id === sectionId);
    for (const q of section?.items ?? []) {
      for (const [seat, who] of [['a', a], ['b', b]] as const) {
        const answer = answerFor(q, rng, seat);
        if (answer) who.answer(q.id, answer);
      }
    }
  }
  await Promise.all([a.private.stored(), b.private.stored()]);
  for (const sectionId of REVEALED_SECTIONS) {
    for (const who of [a, b]) {
      const ack = await who.control.send('section:ready', { sectionId, ready: true });
      if (!ack.ok) throw new Error(`ready ${sectionId}: ${JSON.stringify(ack)}`);
    }
  }
  await until(() => REVEALED_SECTIONS.every((id) => a.section(id)?.state === 'revealed'), 10_000, 'every section revealed');
  return {
    pair,
    a,
    b,
    close: () => {
      a.close();
      b.close();
    },
  };
}

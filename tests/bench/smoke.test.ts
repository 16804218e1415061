import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyDriver } from '../../bench/src/clients/parley';
import { sealedParleyDriver } from '../../bench/src/clients/parley-sealed';
import { SMOKE } from '../../bench/src/matrix';
import { runEdits } from '../../bench/src/scenarios/edits';
import { runSealedRevealStorm } from '../../bench/src/scenarios/sealed-reveal';
import { TargetProcess } from '../../bench/src/target-process';

// A tiny run of the benchmark's edit scenario against Parley alone (the full bench is
// `npm run bench`, not part of `npm test`): the harness works and no edit is lost.
describe('bench smoke', () => {
  let target: TargetProcess;
  beforeAll(async () => {
    process.setMaxListeners(0);
    target = await TargetProcess.start('parley');
  });
  afterAll(async () => {
    await target?.dispose();
  });

  it('BS1 2 rooms for 2 s: every edit of partner A reaches partner B', async () => {
    const outcome = await runEdits(parleyDriver(target), target, SMOKE);
    const m = outcome.metrics;
    expect(m.edits_sent).toBeGreaterThan(10);
    expect(m.lost_edits).toBe(0);
    expect(m.unobserved_edits).toBe(0);
    expect(m.edits_observed).toBe(m.edits_sent);
    expect(m.edit_samples).toBeGreaterThan(0);
    expect(m.join_full_p50_ms).toBeGreaterThan(0);
  }, 20_000);
});

// The sealed lane (issue 16): the same scenarios through sealed rooms, where the bench's clients
// seal and open everything (`SealedDocProvider`, escrow).
describe('bench smoke, sealed rooms', () => {
  let target: TargetProcess;
  beforeAll(async () => {
    process.setMaxListeners(0);
    target = await TargetProcess.start('parley-sealed');
  });
  afterAll(async () => {
    await target?.dispose();
  });

  it('BS2 2 sealed rooms for 2 s: every edit of partner A reaches partner B through the sealed channel, and a late joiner sees them all', async () => {
    const outcome = await runEdits(sealedParleyDriver(target), target, SMOKE);
    const m = outcome.metrics;
    expect(m.edits_sent).toBeGreaterThan(10);
    expect(m.lost_edits).toBe(0);
    expect(m.unobserved_edits).toBe(0);
    expect(m.edits_observed).toBe(m.edits_sent);
    expect(m.unexpected_closes).toBe(0);
    expect(m.join_full_p50_ms).toBeGreaterThan(0);
  }, 30_000);

  it('BS3 a sealed reveal storm of 2 rooms: both partners of every room open the other\'s escrow', async () => {
    const outcome = await runSealedRevealStorm(sealedParleyDriver(target), target, { rooms: 2 });
    const m = outcome.metrics;
    expect(m.reveals_missing).toBe(0);
    expect(m.failed_acks).toBe(0);
    expect(m.escrows_unreadable).toBe(0);
    expect(m.reveal_p50_ms).toBeGreaterThan(0);
  }, 30_000);
});

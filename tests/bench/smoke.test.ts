import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyDriver } from '../../bench/src/clients/parley';
import { SMOKE } from '../../bench/src/matrix';
import { runEdits } from '../../bench/src/scenarios/edits';
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

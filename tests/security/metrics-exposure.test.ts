import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { loadConfig } from '@parley/server/config';
import { createPair, http } from '../helpers/api';
import { openDoc, until } from '../helpers/clients';
import { joinAs } from '../helpers/partner';
import { startServer, type TestServer } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The value of one counter in Prometheus text (NaN when it is not there). */
const counter = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
};
const PERSISTED = 'parley_updates_persisted_total';

/**
 * Partner A changes a private answer; a second device of A's shows it once it is durable
 * (updates are relayed only after they are committed), so the store counters have moved.
 */
async function editHiddenAnswer(server: TestServer): Promise<void> {
  const pair = await createPair(server.url);
  const a = await joinAs(server, pair.roomId, pair.a);
  const otherDevice = openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token);
  cleanups.push(() => a.close(), () => otherDevice.destroy());
  await otherDevice.synced;
  a.answer('impact_hand', { giving: 'yes', note: 'a hidden change' });
  await until(() => otherDevice.doc.getMap('answers').has('impact_hand'), 5000, 'the edit on A’s other device');
}

describe('metrics are not public (issue 11 part 3)', () => {
  it('M1 an outsider polling /metrics on the public port cannot tell that partner A edited a hidden answer', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const before = await http(server.url, 'GET', '/metrics');
    await editHiddenAnswer(server);
    const after = await http(server.url, 'GET', '/metrics');
    const seen = {
      status: after.status,
      seesParleyMetrics: after.text.includes('parley_'),
      seesTheEdit: counter(after.text, PERSISTED) > counter(before.text, PERSISTED),
    };
    expect(seen).toEqual({ status: 404, seesParleyMetrics: false, seesTheEdit: false });
    expect(after.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('M2 with METRICS_PORT=0 a listener on 127.0.0.1 serves Prometheus text that counts the edit', async () => {
    const server = await startServer({ env: { METRICS_PORT: '0' } });
    cleanups.push(() => server.close());
    const address = server.app.metricsAddress;
    expect(address?.address).toBe('127.0.0.1');
    expect(address?.port).not.toBe(server.port);
    const metricsUrl = `http://127.0.0.1:${address?.port}`;
    const before = await http(metricsUrl, 'GET', '/metrics');
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toContain('text/plain');
    expect(before.text).toContain('parley_yjs_connections');
    await editHiddenAnswer(server);
    const after = await http(metricsUrl, 'GET', '/metrics');
    expect(counter(after.text, PERSISTED)).toBeGreaterThan(counter(before.text, PERSISTED));
    // The listener serves metrics and nothing else; the public port still has none.
    expect((await http(metricsUrl, 'GET', '/api/templates')).status).toBe(404);
    expect((await http(server.url, 'GET', '/metrics')).status).toBe(404);

    await server.close();
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });

  it('M3 without METRICS_PORT there is no metrics listener', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    expect(server.app.metricsAddress).toBeNull();
  });

  it('M4 a bad METRICS_PORT stops start-up with one line naming it; METRICS_HOST defaults to 127.0.0.1', () => {
    for (const env of [{ METRICS_PORT: 'abc' }, { METRICS_PORT: '70000' }, { PORT: '3000', METRICS_PORT: '3000' }]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(/^Invalid configuration: METRICS_PORT /);
    }
    expect(loadConfig({})).toMatchObject({ metricsPort: null, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0' });
  });
});

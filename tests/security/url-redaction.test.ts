import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createPair, http } from '../helpers/api';
import { until } from '../helpers/clients';
import { startServer } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Opens a WebSocket and resolves with how it ended (a close code, or the HTTP status of a refused upgrade). */
function upgrade(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.close());
    ws.on('close', (code) => resolve(`close ${code}`));
    ws.on('unexpected-response', (_req, res) => {
      resolve(`http ${res.statusCode}`);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('tokens in URL paths never reach the logs (issue 11 part 4a)', () => {
  it('L1 a token a broken client put in an HTTP path or a WebSocket URL is redacted; ids stay readable', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const pair = await createPair(server.url);
    const token = pair.a.token;
    const logged = server.logs.length;

    for (const path of [`/api/rooms/${pair.roomId}/${token}`, `/r/${token}`, `/api/rooms/${token}`, `/join/${pair.roomId}/${token}.json`]) {
      expect((await http(server.url, 'GET', path)).status, path).toBeLessThan(500);
    }
    const ws = server.wsUrl;
    const ended = [
      await upgrade(`${ws}/yjs/${pair.roomId}/private/${token}`),
      await upgrade(`${ws}/yjs/${token}/shared`),
      // An upgrade on an HTTP-only route: @fastify/websocket logs the path itself.
      await upgrade(`${ws}/api/rooms/${pair.roomId}/${token}`),
      await upgrade(`${ws}/api/rooms/${pair.roomId}?token=${token}`),
    ];
    expect(ended.every((e) => e !== 'close 1000'), ended.join(', ')).toBe(true);
    // Every one of those requests was logged (the barrier for "nothing leaked").
    await until(() => server.logs.slice(logged).filter((l) => l.includes('"incoming request"')).length >= 8, 5000, 'the requests in the log');

    const logs = server.logs.join('');
    expect(logs.includes(token), 'the token is in the server log').toBe(false);
    expect(logs).toContain(`"url":"/api/rooms/${pair.roomId}/[redacted]"`);
    expect(logs).toContain(`"url":"/yjs/${pair.roomId}/private/[redacted]"`);
    expect(logs).toContain('"url":"/r/[redacted]"');
  });
});

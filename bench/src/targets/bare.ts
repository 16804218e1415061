import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { getPersistence, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { serveTarget } from './harness';

interface Persistence {
  bindState: (docName: string, doc: Y.Doc) => Promise<void> | void;
  writeState: (docName: string, doc: Y.Doc) => Promise<unknown>;
  provider: { destroy?: () => Promise<void> };
}

/**
 * The bare y-websocket server (@y/websocket-server 0.1.1), started the way its server.js does:
 * one `ws` server on an http server, every upgrade handed to `setupWSConnection`. In memory;
 * with `YPERSISTENCE=<dir>` (set by the cold-resume scenario) it persists with its stock
 * y-leveldb option.
 */
serveTarget(async (recordLoad, port) => {
  const persistence = getPersistence() as Persistence | null;
  if (persistence) {
    const bindState = persistence.bindState.bind(persistence);
    setPersistence({
      ...persistence,
      bindState: async (docName: string, doc: Y.Doc) => {
        const started = performance.now();
        await bindState(docName, doc);
        recordLoad(performance.now() - started);
      },
    });
  }
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  wss.on('connection', (conn, req) => setupWSConnection(conn, req));
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close();
      // y-leveldb writes asynchronously; destroy() waits for its queued transactions.
      await new Promise((r) => setTimeout(r, 200));
      await persistence?.provider.destroy?.();
    },
  };
});

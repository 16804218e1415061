import type { CDPSession, Page } from 'playwright-core';
import { scanBuffer, type Canaries, type Hit } from './canary';

/**
 * What the server received: every WebSocket frame a client sent and every HTTP request body,
 * as the bytes that went out, for the sealed-rooms proof ("no canary in any frame the server
 * received in plaintext"). Two recorders fill the same shape:
 * - `recordPageTraffic(page)`: Chromium, through the DevTools protocol (the page's own target:
 *   Network.webSocketFrameSent, binary frames come base64; Network.requestWillBeSent's post data,
 *   fetched with Network.getRequestPostData when CDP leaves it out), plus Playwright's
 *   context-wide `request` events, which also see the service worker's requests;
 * - `SentRecorder` for Node clients (a `ws` WebSocket class that records `send`, socket.io's
 *   outgoing events, request bodies).
 */

export interface SentItem {
  kind: 'ws-text' | 'ws-binary' | 'http-body' | 'socket.io';
  url: string;
  bytes: Buffer;
}

export class SentRecorder {
  readonly items: SentItem[] = [];
  add(kind: SentItem['kind'], url: string, data: string | Uint8Array | ArrayBuffer | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)) : Buffer.from(data);
    this.items.push({ kind, url, bytes });
  }
  /** A socket.io event with its arguments: binary arguments as their bytes, the rest as JSON. */
  addEvent(url: string, args: unknown[]): void {
    const binary: Uint8Array[] = [];
    const json = JSON.stringify(args, (_key, value: unknown) => {
      if (value instanceof Uint8Array) {
        binary.push(value);
        return `<binary ${binary.length - 1}>`;
      }
      return value;
    });
    this.add('socket.io', url, json);
    for (const b of binary) this.add('socket.io', url, b);
  }
  count(kind: SentItem['kind']): number {
    return this.items.filter((i) => i.kind === kind).length;
  }
  scan(canaries: Canaries): Hit[] {
    return this.items.flatMap((item, i) => scanBuffer(item.bytes, canaries, `${item.kind} #${i} ${item.url}`));
  }
}

interface WebSocketCreated {
  requestId: string;
  url: string;
}
interface WebSocketFrameSent {
  requestId: string;
  response: { opcode: number; payloadData: string };
}
interface RequestWillBeSent {
  requestId: string;
  request: { url: string; method: string; hasPostData?: boolean; postData?: string; postDataEntries?: { bytes?: string }[] };
}

export interface PageTraffic {
  recorder: SentRecorder;
  /** waits for the request bodies CDP had to be asked for */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts recording everything `page` sends (call before it navigates to the app). */
export async function recordPageTraffic(page: Page, recorder = new SentRecorder()): Promise<PageTraffic> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable', { maxPostDataSize: 64 * 1024 * 1024 });
  const sockets = new Map<string, string>();
  const pending: Promise<void>[] = [];
  cdp.on('Network.webSocketCreated', (e: WebSocketCreated) => sockets.set(e.requestId, e.url));
  cdp.on('Network.webSocketFrameSent', (e: WebSocketFrameSent) => {
    const url = sockets.get(e.requestId) ?? 'ws';
    // opcode 1: text, as text; 2: binary, base64 (https://chromedevtools.github.io/devtools-protocol/tot/Network/#type-WebSocketFrame)
    if (e.response.opcode === 2) recorder.add('ws-binary', url, Buffer.from(e.response.payloadData, 'base64'));
    else recorder.add('ws-text', url, e.response.payloadData);
  });
  cdp.on('Network.requestWillBeSent', (e: RequestWillBeSent) => {
    const { request } = e;
    const entries = request.postDataEntries?.filter((p) => p.bytes !== undefined) ?? [];
    if (entries.length > 0) {
      recorder.add('http-body', request.url, Buffer.concat(entries.map((p) => Buffer.from(p.bytes!, 'base64'))));
    } else if (request.postData !== undefined) {
      recorder.add('http-body', request.url, request.postData);
    } else if (request.hasPostData) {
      pending.push(
        cdp.send('Network.getRequestPostData', { requestId: e.requestId }).then(
          (r: { postData: string; base64Encoded?: boolean }) => recorder.add('http-body', request.url, r.base64Encoded ? Buffer.from(r.postData, 'base64') : r.postData),
          () => recorder.add('http-body', request.url, `<body of ${request.method} not available>`),
        ),
      );
    }
  });
  // the service worker and other targets: Playwright sees their requests context-wide
  const context = page.context();
  const onRequest = (req: import('playwright-core').Request) => {
    if (req.serviceWorker() !== null) {
      const body = req.postDataBuffer();
      if (body) recorder.add('http-body', `${req.url()} (service worker)`, body);
    }
  };
  context.on('request', onRequest);
  return {
    recorder,
    settled: async () => {
      await Promise.all(pending.splice(0));
    },
    stop: async () => {
      context.off('request', onRequest);
      await cdp.detach().catch(() => undefined);
    },
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { EnvelopeKind, openEnvelope, sealEnvelope } from '@parley/shared/sealed/envelope';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { derivePairKeys } from '@parley/shared/sealed/pair';
import { discreetTag } from '@parley/shared/sealed/tags';
import { hex } from '../shared/sealed-support';
import type { BrowserInput } from './sealed-webcrypto.entry';
import { launchChromium } from './support';

/**
 * The sealed layer in real Chromium (issue 16): WebCrypto there has X25519, HKDF and AES-GCM, and
 * derives and seals exactly as Node does, so partner A in a browser and partner B anywhere agree.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOM = 'ROOMidROOMidROOMidROOMi';

let browser: Browser;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: path.join(here, 'sealed-webcrypto.entry.ts'), formats: ['es'], fileName: 'sealed' } },
  });
  const bundles = (Array.isArray(output) ? output : [output]) as { output: { type: string; code?: string }[] }[];
  const code = bundles.flatMap((b) => b.output).find((chunk) => chunk.type === 'chunk')?.code ?? '';
  server = http.createServer((req, res) => {
    if (req.url === '/sealed.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sealed</title><script type="module" src="/sealed.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('sealed layer in Chromium', () => {
  it('SW1 Chromium derives the same token and key pair as Node, and what one seals the other opens', async () => {
    const secretA = generateLinkSecret();
    const b = await deriveSeatKeys(generateLinkSecret());
    const atNodeA = await deriveSeatKeys(secretA);
    const atB = await derivePairKeys({ roomId: ROOM, seat: 'b', identity: b.identity, partnerPublic: atNodeA.identity.publicKey });
    if (!atB.ok) throw new Error(atB.reason);
    const fromNode = await sealEnvelope(atB.keys.shared, { kind: EnvelopeKind.update, sender: '00000000000000b1', seq: 1, context: `${ROOM}/shared` }, new TextEncoder().encode('from B'));
    if (!fromNode.ok) throw new Error(fromNode.reason);

    const page = await (await browser.newContext()).newPage();
    await page.goto(origin);
    await page.waitForFunction(() => 'sealedCheck' in globalThis);
    const input: BrowserInput = { secret: hex(secretA), partnerPublic: hex(b.identity.publicKey), roomId: ROOM, fromNode: hex(fromNode.envelope) };
    const result = await page.evaluate((arg) => (globalThis as unknown as { sealedCheck(i: BrowserInput): Promise<Record<string, unknown>> }).sealedCheck(arg), input);

    expect(result).toMatchObject({ secureContext: true, authToken: atNodeA.authToken, publicKey: hex(atNodeA.identity.publicKey), opened: 'from B', weak: 'weak public key' });
    const bytes = (key: string) => new Uint8Array(Buffer.from(String(result[key]), 'hex'));
    const privateDoc = await openEnvelope(atNodeA.privateDoc, bytes('privateDoc'), `${ROOM}/private/p`);
    expect(privateDoc.ok && new TextDecoder().decode(privateDoc.payload)).toBe('CANARY private');
    const shared = await openEnvelope(atB.keys.shared, bytes('shared'), `${ROOM}/shared`);
    expect(shared.ok && new TextDecoder().decode(shared.payload)).toBe('CANARY shared');
    const tag = await discreetTag(await atB.keys.roundKey('activities', 1), 'impact_hand', 'aToB');
    expect(tag.ok && hex(tag.tag)).toBe(result.tag);
  });
});

/**
 * Bundled for Chromium by `sealed-webcrypto.test.ts`: the sealed layer exactly as the client will
 * import it, driven from the page with hex strings in and out.
 */
import { EnvelopeKind, openEnvelope, sealEnvelope } from '@parley/shared/sealed/envelope';
import { deriveSeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys } from '@parley/shared/sealed/pair';
import { discreetTag } from '@parley/shared/sealed/tags';
import { x25519Agree } from '@parley/shared/sealed/x25519';

export interface BrowserInput {
  secret: string;
  partnerPublic: string;
  roomId: string;
  fromNode: string;
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

async function run(input: BrowserInput) {
  const keys = await deriveSeatKeys(fromHex(input.secret));
  const pair = await derivePairKeys({ roomId: input.roomId, seat: 'a', identity: keys.identity, partnerPublic: fromHex(input.partnerPublic) });
  if (!pair.ok) return { error: pair.reason };
  const header = { kind: EnvelopeKind.update, sender: '00000000000000c1', seq: 1 };
  const privateDoc = await sealEnvelope(keys.privateDoc, { ...header, context: `${input.roomId}/private/p` }, new TextEncoder().encode('CANARY private'));
  const shared = await sealEnvelope(pair.keys.shared, { ...header, context: `${input.roomId}/shared` }, new TextEncoder().encode('CANARY shared'));
  const opened = await openEnvelope(pair.keys.shared, fromHex(input.fromNode), `${input.roomId}/shared`);
  const tag = await discreetTag(await pair.keys.roundKey('activities', 1), 'impact_hand', 'aToB');
  const weak = await x25519Agree(keys.identity.privateKey, new Uint8Array(32));
  return {
    secureContext: globalThis.isSecureContext,
    authToken: keys.authToken,
    publicKey: toHex(keys.identity.publicKey),
    privateDoc: privateDoc.ok ? toHex(privateDoc.envelope) : privateDoc.reason,
    shared: shared.ok ? toHex(shared.envelope) : shared.reason,
    opened: opened.ok ? new TextDecoder().decode(opened.payload) : opened.reason,
    tag: tag.ok ? toHex(tag.tag) : tag.reason,
    weak: weak.ok ? 'agreed' : weak.reason,
  };
}

(globalThis as unknown as { sealedCheck: typeof run }).sealedCheck = run;

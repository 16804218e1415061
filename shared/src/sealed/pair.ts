import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson, type Agreement } from '../agreement/build';
import type { Seat } from '../protocol/ids';
import type { Verdict } from '../protocol/verdict';
import { utf8Bytes } from './bytes';
import type { AeadKey } from './envelope';
import { deriveAeadKey, deriveBytes, deriveMacKey, keySource, type MacKey } from './keys';
import { x25519Agree, type AgreementProblem, type X25519KeyPair } from './x25519';
import { subtle } from './webcrypto';

/**
 * The keys the two partners share, from the X25519 agreement of their devices' key pairs —
 * never from a link, so a leaked invite link plus everything the server holds opens nothing
 * (an attacker would need one of the two private keys, which only the resume links derive).
 * Both partners derive the same keys: the inputs are put in seat order.
 */
export const PairLabel = {
  pair: 'pair secret',
  shared: 'shared doc',
  sharedAwareness: 'shared awareness',
  escrow: 'escrow',
  notes: 'notes',
  agreement: 'agreement hash',
  round: 'discreet round',
} as const;

export interface PairKeys {
  shared: AeadKey;
  sharedAwareness: AeadKey;
  /** `escrow.a` seals what seat a leaves in escrow for seat b, and the other way round */
  escrow: Record<Seat, AeadKey>;
  /** pause and reopen notes */
  notes: AeadKey;
  /** keys the agreement hash, so the server cannot test guesses of the agreement against it */
  agreement: MacKey;
  /** the key of one section's round in discreet mode: tags of different rounds never compare */
  roundKey(sectionId: string, round: number): Promise<MacKey>;
}

export interface PairInput {
  roomId: string;
  seat: Seat;
  identity: X25519KeyPair;
  /** checked with `verifyPublicKeyBinding` before it gets here */
  partnerPublic: unknown;
}

export async function derivePairKeys(input: PairInput): Promise<Verdict<{ keys: PairKeys }, AgreementProblem>> {
  const agreed = await x25519Agree(input.identity.privateKey, input.partnerPublic);
  if (!agreed.ok) return agreed;
  const own = input.identity.publicKey;
  const partner = input.partnerPublic as Uint8Array;
  const [a, b] = input.seat === 'a' ? [own, partner] : [partner, own];
  const source = await keySource(await deriveBytes(await keySource(agreed.secret), PairLabel.pair, [input.roomId, a, b], 32));
  return {
    ok: true,
    keys: {
      shared: await deriveAeadKey(source, PairLabel.shared),
      sharedAwareness: await deriveAeadKey(source, PairLabel.sharedAwareness),
      escrow: { a: await deriveAeadKey(source, PairLabel.escrow, 'a'), b: await deriveAeadKey(source, PairLabel.escrow, 'b') },
      notes: await deriveAeadKey(source, PairLabel.notes),
      agreement: await deriveMacKey(source, PairLabel.agreement),
      roundKey: (sectionId, round) => deriveMacKey(source, PairLabel.round, sectionId, round),
    },
  };
}

/**
 * What a partner confirms in a sealed room: HMAC-SHA-256 of the agreement's canonical JSON (the
 * same canonical form as `agreementHash`). The server stores and compares it; without the key it
 * cannot check a guess, which a plain hash of a few ratings would let it do.
 */
export async function sealedAgreementHash(key: MacKey, agreement: Agreement): Promise<string> {
  return bytesToHex(new Uint8Array(await subtle().sign('HMAC', key.mac, utf8Bytes(canonicalJson(agreement)))));
}

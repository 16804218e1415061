import type { Seat } from '../protocol/ids';
import { DisplayName, SEALED_TEXT_MAX, Title } from '../protocol/http';
import type { Verdict } from '../protocol/verdict';
import { fromBase64Url, toBase64Url, utf8Bytes, utf8Text } from './bytes';
import { EnvelopeKind, newSender, openEnvelope, sealEnvelope, type AeadKey } from './envelope';
import { cryptoRandom, type Random } from './webcrypto';

/**
 * A sealed room's title and display names (docs/sealed-rooms.md §2, §9): sealed by the client
 * under the invite's preview key, so the join page can open them before B has any other key, and
 * stored by the server as the opaque base64url strings it takes (`SEALED_TEXT_MAX`). Each text
 * has its own context, so the server cannot pass A's name off as the title or as B's name. The
 * key is the room's own (from its invite secret), so the contexts need no room id, which the
 * title could not have: it is sealed before the room exists.
 */
export type SealedTextKind = 'title' | Seat;

const contextOf = (kind: SealedTextKind): string => (kind === 'title' ? 'parley/sealed/v1/title' : `parley/sealed/v1/name/${kind}`);

/** The limits of a standard room's title and names, applied before sealing and after opening. */
function checkText(kind: SealedTextKind, text: string): Verdict<{ text: string }> {
  const checked = kind === 'title' ? Title.safeParse(text) : DisplayName.safeParse(text);
  return checked.success ? { ok: true, text: checked.data } : { ok: false, reason: checked.error.issues[0]?.message ?? 'not a valid text' };
}

export async function sealName(key: AeadKey, kind: SealedTextKind, text: string, random: Random = cryptoRandom): Promise<Verdict<{ sealed: string }>> {
  const checked = checkText(kind, text);
  if (!checked.ok) return checked;
  const sealed = await sealEnvelope(key, { kind: EnvelopeKind.note, sender: newSender(random), seq: 1, context: contextOf(kind) }, utf8Bytes(checked.text), random);
  if (!sealed.ok) return sealed;
  const encoded = toBase64Url(sealed.envelope);
  return encoded.length <= SEALED_TEXT_MAX ? { ok: true, sealed: encoded } : { ok: false, reason: 'too long to seal' };
}

/**
 * Opens what `sealName` made. Everything here came through the server, so anything else (not
 * base64url, another key or kind of text, a text past the limits) is a reason, never an exception.
 */
export async function openName(key: AeadKey, kind: SealedTextKind, sealed: unknown): Promise<Verdict<{ text: string }>> {
  if (typeof sealed !== 'string' || sealed.length > SEALED_TEXT_MAX) return { ok: false, reason: 'not a sealed text' };
  const bytes = fromBase64Url(sealed, Math.floor((sealed.length * 6) / 8));
  if (!bytes.ok) return bytes;
  const opened = await openEnvelope(key, bytes.bytes, contextOf(kind), { kinds: [EnvelopeKind.note] });
  if (!opened.ok) return opened;
  const text = utf8Text(opened.payload);
  return text === null ? { ok: false, reason: 'not UTF-8' } : checkText(kind, text);
}

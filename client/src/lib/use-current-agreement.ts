import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { canonicalJson, currentAgreement, type Agreement } from '@parley/shared/agreement/build';
import { confirmedSeats } from '@parley/shared/agreement/confirmations';
import { agreementLines } from '@parley/shared/agreement/lines';
import type { Seat } from '@parley/shared/protocol/ids';
import { confirmedInSealedRoom } from '@parley/shared/sealed/agreement';
import { sealedAgreementHash } from '@parley/shared/sealed/pair';
import { useRoom, useRoomState } from './room-context';
import { sharedText } from './room-doc';
import { docSnapshot } from './snapshot-store';

export interface CurrentAgreement {
  agreement: Agreement;
  lines: string[];
  /** what a confirmation is of: `agreementHash`, or in a sealed room the pair's keyed hash; null while that is computed */
  hash: string | null;
  /** the seats whose stored confirmation is of exactly this agreement */
  confirmedBy: Seat[];
  sealed: boolean;
}

/**
 * The agreement as this browser sees it, built with the same shared function the server uses
 * for a standard room (`currentAgreement`), from the room doc every screen reads (a sealed room's
 * opened one). A sealed room's confirmation is the keyed `sealedAgreementHash`, computed here:
 * a confirmation counts only if it is of exactly that (`confirmedInSealedRoom`).
 */
export function useCurrentAgreement(): CurrentAgreement {
  const { session, template, names, view, seat, partnerJoined, sealed } = useRoom();
  const room = useRoomState();
  const textStore = useMemo(() => docSnapshot(session.sharedDoc, () => sharedText.agreement(session.sharedDoc).toString()), [session]);
  const agreementText = useSyncExternalStore(textStore.subscribe, textStore.getSnapshot);

  // The server builds the same input: names of people who joined, null otherwise.
  const agreementNames = useMemo(
    () => ({ a: partnerJoined || seat === 'a' ? names.a : null, b: partnerJoined || seat === 'b' ? names.b : null }),
    [names, partnerJoined, seat],
  );
  const built = useMemo(() => {
    const { agreement, hash } = currentAgreement({ template, room, agreementText, names: agreementNames, title: view.title });
    return { agreement, plainHash: hash, lines: agreementLines(agreement), json: canonicalJson(agreement) };
  }, [template, room, agreementText, agreementNames, view.title]);

  const key = sealed?.pair?.agreement ?? null;
  const [keyed, setKeyed] = useState<{ json: string; hash: string } | null>(null);
  useEffect(() => {
    if (!key) return;
    let current = true;
    void sealedAgreementHash(key, built.agreement).then((hash) => {
      if (current) setKeyed({ json: built.json, hash });
    });
    return () => {
      current = false;
    };
  }, [key, built]);

  if (!sealed) {
    return { agreement: built.agreement, lines: built.lines, hash: built.plainHash, confirmedBy: confirmedSeats(room.meta.confirmations, built.plainHash), sealed: false };
  }
  const hash = key && keyed?.json === built.json ? keyed.hash : null;
  return { agreement: built.agreement, lines: built.lines, hash, confirmedBy: hash ? confirmedInSealedRoom(room.meta.confirmations, hash) : [], sealed: true };
}

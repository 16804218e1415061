import type { Answer } from '@parley/shared/protocol/answers';
import { docName } from '@parley/shared/protocol/ids';
import type { RevealedSection, SectionStatus } from '@parley/shared/protocol/room-doc';
import { connectControl, openDoc, Recorder, type ControlClient, type DocClient } from './clients';

/** One partner as the web client connects: own private doc, shared doc, room doc, control channel — all recorded. */
export interface PartnerSession {
  recorder: Recorder;
  private: DocClient;
  shared: DocClient;
  room: DocClient;
  control: ControlClient;
  answer(itemId: string, answer: Omit<Answer, 'updatedAt'>): void;
  note(sectionId: string, text: string): void;
  section(sectionId: string): SectionStatus | undefined;
  revealed(sectionId: string): RevealedSection | undefined;
  /**
   * A positive barrier: resolves once everything the server sent this partner before now has
   * arrived, on each doc connection and the control channel. A "nothing arrived" check asserts
   * after it, not after a sleep.
   */
  caughtUp(): Promise<void>;
  close(): void;
}

export async function joinAs(server: { url: string; wsUrl: string }, roomId: string, who: { id: string; token: string }, opts: { transports?: ('polling' | 'websocket')[] } = {}): Promise<PartnerSession> {
  const recorder = new Recorder();
  const priv = openDoc(server.wsUrl, docName.private(roomId, who.id), who.token, { recorder });
  const shared = openDoc(server.wsUrl, docName.shared(roomId), who.token, { recorder });
  const room = openDoc(server.wsUrl, docName.room(roomId), who.token, { recorder });
  const control = await connectControl(server.url, roomId, who.token, { recorder, ...(opts.transports ? { transports: opts.transports } : {}) });
  await Promise.all([priv.synced, shared.synced, room.synced]);
  return {
    recorder,
    private: priv,
    shared,
    room,
    control,
    answer: (itemId, answer) => priv.doc.getMap('answers').set(itemId, { ...answer, updatedAt: Date.now() }),
    note: (sectionId, text) => priv.doc.getMap('privateNotes').set(sectionId, text),
    section: (id) => room.doc.getMap('sections').get(id) as SectionStatus | undefined,
    revealed: (id) => room.doc.getMap('revealed').get(id) as RevealedSection | undefined,
    caughtUp: async () => {
      // An acked command answers after every event the server emitted to this socket before it.
      const ack = await control.send('presence:update', { focus: null });
      if (!ack.ok) throw new Error(`presence:update refused: ${JSON.stringify(ack)}`);
      await Promise.all([priv.caughtUp(), shared.caughtUp(), room.caughtUp()]);
    },
    close: () => {
      control.close();
      for (const d of [priv, shared, room]) d.destroy();
    },
  };
}

import { io, type Socket } from 'socket.io-client';
import type { Ack } from '@parley/shared/protocol/socket';
import type { CreateWorkshopResponse, JoinWorkshopResponse, ProjectorState, WorkshopState } from '@parley/shared/protocol/workshop';
import { http } from './api';
import { connectControl, Recorder } from './clients';

export async function createWorkshop(base: string, body: { title?: string; facilitatorName?: string; lockSections?: boolean } = {}): Promise<CreateWorkshopResponse> {
  const res = await http<CreateWorkshopResponse>(base, 'POST', '/api/workshops', {
    body: { title: 'Negotiation basics', facilitatorName: 'Robin', ...body },
  });
  if (res.status !== 201) throw new Error(`create workshop failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function joinWorkshop(base: string, joinCode: string, displayName: string, pairCode?: string): Promise<JoinWorkshopResponse> {
  const res = await http<JoinWorkshopResponse>(base, 'POST', '/api/workshops/join', {
    body: { joinCode, displayName, ...(pairCode ? { pairCode } : {}) },
  });
  if (res.status !== 201) throw new Error(`join workshop failed: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * Two people joining a workshop as one pair: the first starts it, the second brings its code,
 * and both confirm each other on their own control connections (`confirmUrls`: where each
 * one's device is connected, default `base`), after which the second sits in the first's room.
 */
export async function workshopPair(base: string, joinCode: string, names: [string, string], confirmUrls: [string, string] = [base, base]) {
  const a = await joinWorkshop(base, joinCode, names[0]);
  const b = await joinWorkshop(base, joinCode, names[1], a.pairCode);
  await confirmEachOther({ url: confirmUrls[0], roomId: a.roomId, token: a.participant.token }, { url: confirmUrls[1], roomId: b.roomId, token: b.participant.token });
  return {
    roomId: a.roomId,
    pairCode: a.pairCode,
    a: { id: a.participant.id, token: a.participant.token, name: names[0] },
    b: { id: b.participant.id, token: b.participant.token, name: names[1] },
  };
}

/** Both people of a pending pairing tap "this is my partner"; resolves once the second has moved. */
export async function confirmEachOther(stays: { url: string; roomId: string; token: string }, moves: { url: string; roomId: string; token: string }): Promise<void> {
  const [first, second] = await Promise.all([connectControl(stays.url, stays.roomId, stays.token), connectControl(moves.url, moves.roomId, moves.token)]);
  try {
    const paired = second.next('workshop:paired', () => true, 5000);
    for (const client of [first, second]) {
      const ack = await client.send('workshop:confirm-partner', { confirmed: true });
      if (!ack.ok) throw new Error(`confirm failed: ${JSON.stringify(ack)}`);
    }
    await paired;
  } finally {
    first.close();
    second.close();
  }
}

export interface WorkshopSocketClient<S> {
  socket: Socket;
  recorder: Recorder;
  /** each state with when it arrived and its size on the wire (JSON characters) */
  states: { at: number; state: S; bytes: number }[];
  latest(): S | undefined;
  /** resolves with the first state (already received or future) that satisfies `check` */
  until(check: (s: S) => boolean, timeoutMs?: number, what?: string): Promise<{ at: number; state: S }>;
  send<T = unknown>(event: string, payload: unknown): Promise<Ack<T>>;
  close(): void;
}
export type FacilitatorClient = WorkshopSocketClient<WorkshopState>;

/** A facilitator's dashboard connection on `/workshop`, recording every byte it receives. */
export function connectFacilitator(url: string, workshopId: string, token: string, recorder = new Recorder()): Promise<FacilitatorClient> {
  return connectWorkshopSocket<WorkshopState>(url, { workshopId, token }, 'workshop:state', recorder);
}

/** The projector view of a workshop (`view: "projector"`): `workshop:projector` states only. */
export function connectProjector(url: string, workshopId: string, token: string, recorder = new Recorder()): Promise<WorkshopSocketClient<ProjectorState>> {
  return connectWorkshopSocket<ProjectorState>(url, { workshopId, token, view: 'projector' }, 'workshop:projector', recorder);
}

async function connectWorkshopSocket<S>(url: string, auth: Record<string, string>, stateEvent: string, recorder: Recorder): Promise<WorkshopSocketClient<S>> {
  const socket = io(`${url}/workshop`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const states: { at: number; state: S; bytes: number }[] = [];
  const waiters: { check: (s: S) => boolean; resolve: (v: { at: number; state: S }) => void }[] = [];
  socket.onAny((name: string, payload: unknown) => {
    const json = JSON.stringify([name, payload]);
    recorder.add(json);
    if (name !== stateEvent) return;
    const entry = { at: Date.now(), state: payload as S, bytes: Buffer.byteLength(json) };
    states.push(entry);
    for (const w of [...waiters]) {
      if (w.check(entry.state)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  return {
    socket,
    recorder,
    states,
    latest: () => states[states.length - 1]?.state,
    until: (check, timeoutMs = 5000, what = 'workshop state') =>
      new Promise((resolve, reject) => {
        const hit = [...states].reverse().find((s) => check(s.state));
        if (hit) return resolve(hit);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
        waiters.push({ check, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      }),
    send: <T>(event: string, payload: unknown) =>
      new Promise<Ack<T>>((resolve) => {
        socket.emit(event, payload, (ack: Ack<T>) => {
          recorder.add(JSON.stringify(ack));
          resolve(ack);
        });
      }),
    close: () => socket.close(),
  };
}

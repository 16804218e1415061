import { io, type Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import type { CreateRoomResponse, JoinRoomResponse } from '@parley/shared/protocol/http';
import type { Ack } from '@parley/shared/protocol/socket';
import type { BenchRoom, OpenedDoc, SeatName, TargetDriver } from './types';
import { openWithYWebsocket } from './y-websocket';

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${new URL(url).pathname} → ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Parley's control channel for one partner: commands with acks, server events by name. */
export interface ControlClient {
  socket: Socket;
  send(event: string, payload: unknown): Promise<Ack>;
  close(): void;
}

export interface ParleyDriver extends TargetDriver {
  openPrivate(room: BenchRoom, seat: SeatName, doc: Y.Doc): OpenedDoc;
  openRoomDoc(room: BenchRoom, seat: SeatName, doc: Y.Doc): OpenedDoc;
  control(room: BenchRoom, seat: SeatName): Promise<ControlClient>;
  /** Prometheus text of `/metrics`, from the server's own metrics listener */
  metrics(): Promise<string>;
}

/** A Parley driver, standard or sealed (both have the control channel and the metrics). */
export const isParleyDriver = (driver: TargetDriver): driver is ParleyDriver => driver.name === 'parley' || driver.name === 'parley-sealed';

/** Where a Parley server listens: the public port, and its metrics listener (read at each scrape). */
export interface ParleyAddress {
  httpUrl: string;
  readonly metricsUrl: string;
}

/** Parley through its public contract: HTTP to make rooms, y-websocket with a token, socket.io. */
export function parleyDriver(server: ParleyAddress): ParleyDriver {
  const { httpUrl } = server;
  const wsBase = `${httpUrl.replace(/^http/, 'ws')}/yjs`;
  const open = (room: BenchRoom, seat: SeatName, docPath: string, doc: Y.Doc) =>
    openWithYWebsocket(wsBase, `${room.id}/${docPath}`, doc, { token: room[seat].token });
  return {
    name: 'parley',
    createRoom: async (): Promise<BenchRoom> => {
      const created = await post<CreateRoomResponse>(`${httpUrl}/api/rooms`, { displayName: 'Alex' });
      const joined = await post<JoinRoomResponse>(`${httpUrl}/api/rooms/${created.roomId}/join`, {
        inviteToken: created.invite.token,
        displayName: 'Blake',
      });
      return {
        id: created.roomId,
        a: { id: created.participant.id, token: created.participant.token },
        b: { id: joined.participant.id, token: joined.participant.token },
      };
    },
    openShared: (room, seat, doc) => open(room, seat, 'shared', doc),
    openPrivate: (room, seat, doc) => open(room, seat, `private/${room[seat].id}`, doc),
    openRoomDoc: (room, seat, doc) => open(room, seat, 'room', doc),
    control: async (room, seat) => {
      const socket = io(`${httpUrl}/room`, {
        auth: { roomId: room.id, token: room[seat].token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
      return {
        socket,
        send: (event, payload) => new Promise<Ack>((resolve) => socket.emit(event, payload, (ack: Ack) => resolve(ack))),
        close: () => void socket.close(),
      };
    },
    metrics: async () => (await fetch(`${server.metricsUrl}/metrics`)).text(),
  };
}

/** The sum of the values of every line that `matches` (NaN if none does): several label sets or nodes add up. */
function sumLines(metricsText: string, matches: (line: string) => boolean): number {
  const lines = metricsText.split('\n').filter(matches);
  return lines.length === 0 ? NaN : lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Sum and count of a Prometheus histogram (`<name>_sum`, `<name>_count`) in `/metrics` text. */
export function histogramTotals(metricsText: string, name: string): { sum: number; count: number } {
  const read = (suffix: string) => sumLines(metricsText, (l) => l.startsWith(`${name}_${suffix} `) || l.startsWith(`${name}_${suffix}{`));
  return { sum: read('sum'), count: read('count') };
}

/** Cumulative count of a Prometheus histogram bucket (`<name>_bucket{le="<le>"}`). */
export function histogramBucket(metricsText: string, name: string, le: string): number {
  return sumLines(metricsText, (l) => l.startsWith(`${name}_bucket{`) && l.includes(`le="${le}"`));
}

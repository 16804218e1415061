import { afterAll, afterEach, beforeAll } from 'vitest';
import { createPair, type Pair } from './api';
import type { Recorder } from './clients';
import { startCluster, type Cluster } from './cluster';
import { joinAs, type PartnerSession } from './partner';
import { startServer, type TestServer } from './server';
import { connectFacilitator, createWorkshop, type FacilitatorClient } from './workshop';

/**
 * One fixture per kind, so a test file states what it needs instead of repeating the lifecycle:
 * - `useServer` / `useCluster`: a real server (or nodes) for the file or describe block it is
 *   called in, started before its first test and closed after its last;
 * - `usePartners`: pairs of partners connected as the web client connects, closed after each test;
 * - `useWorkshops`: workshops with a facilitator's dashboard connected, closed after each test;
 * - `closeAfterEach`: anything else a test opens.
 */

/**
 * The value that a `beforeAll` of this scope makes, usable wherever a test runs. Reading it before
 * then is a mistake in the test file, and says so.
 */
function startedInBeforeAll<T extends object>(what: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current) await stop(current);
    current = undefined;
  });
  return new Proxy({} as T, {
    get: (_target, key) => {
      if (!current) throw new Error(`${what} is not running here: it starts in beforeAll and closes in afterAll`);
      return Reflect.get(current, key) as unknown;
    },
  });
}

/** A real Parley server (port chosen by the OS, own data dir) for the enclosing file or describe block. */
export function useServer(opts: Parameters<typeof startServer>[0] = {}): TestServer {
  return startedInBeforeAll('the test server', () => startServer(opts), (server) => server.close());
}

/** Several real nodes sharing Redis and one store, for the enclosing file or describe block. */
export function useCluster(opts: Parameters<typeof startCluster>[0] = {}): Cluster {
  return startedInBeforeAll('the test cluster', () => startCluster(opts), (cluster) => cluster.close());
}

/** Registers `thing` to be closed after the current test; returns it. */
export type Closer = <T extends { close(): void }>(thing: T) => T;

/** Closes, after each test of the enclosing scope, whatever the test handed to the returned function. */
export function closeAfterEach(): Closer {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const thing of open.splice(0)) thing.close();
  });
  return (thing) => {
    open.push(thing);
    return thing;
  };
}

export interface Partners {
  pair: Pair;
  a: PartnerSession;
  b: PartnerSession;
}

type Node = { url: string; wsUrl: string };

/**
 * A new room on `server` with both partners connected (private, shared and room doc plus the
 * control channel, all recorded), closed after the test. `nodes` puts A and B on different
 * servers (A's creates the room); without `server`, every call names them.
 */
export function usePartners(server: Node | null, opts: { onPair?: (pair: Pair) => void } = {}) {
  const close = closeAfterEach();
  return async (options: { revealMode?: 'full' | 'discreet'; nodes?: [Node, Node] } = {}): Promise<Partners> => {
    const nodes = options.nodes ?? (server ? [server, server] : null);
    if (!nodes) throw new Error('usePartners(null): say on which nodes A and B connect');
    const [nodeA, nodeB] = nodes;
    const pair = await createPair(nodeA.url, options.revealMode ? { revealMode: options.revealMode } : {});
    opts.onPair?.(pair);
    const a = close(await joinAs(nodeA, pair.roomId, pair.a));
    const b = close(await joinAs(nodeB, pair.roomId, pair.b));
    return { pair, a, b };
  };
}

export interface Workshop {
  workshop: Awaited<ReturnType<typeof createWorkshop>>;
  facilitator: FacilitatorClient;
}

/** A new workshop on `server` with its facilitator's dashboard connected (and its first state received), closed after the test. */
export function useWorkshops(server: { url: string }) {
  const close = closeAfterEach();
  return async (options: { lockSections?: boolean; recorder?: Recorder; url?: string } = {}): Promise<Workshop> => {
    const workshop = await createWorkshop(server.url, options.lockSections === undefined ? {} : { lockSections: options.lockSections });
    const facilitator = close(await connectFacilitator(options.url ?? server.url, workshop.workshopId, workshop.facilitator.token, options.recorder));
    await facilitator.until(() => true, 3000, 'first state');
    return { workshop, facilitator };
  };
}

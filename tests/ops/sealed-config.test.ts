import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@parley/server/config';
import { createSealedPair, http } from '../helpers/api';
import { spawnNode, type NodeProcess } from '../helpers/processes';

/**
 * `SEALED_ROOMS` (issue 16): the real server (`server.ts`, as production runs it) serves sealed
 * rooms unless told `off`; test servers built with `buildApp` keep their own default.
 */

const nodes: NodeProcess[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.kill();
});

describe('SEALED_ROOMS', () => {
  it('SG1: on by default, `off` turns it off, anything else stops start-up naming the variable', () => {
    expect(loadConfig({}).sealedRooms).toBe(true);
    expect(loadConfig({ SEALED_ROOMS: 'on' }).sealedRooms).toBe(true);
    expect(loadConfig({ SEALED_ROOMS: 'off' }).sealedRooms).toBe(false);
    expect(() => loadConfig({ SEALED_ROOMS: 'yes' })).toThrow(/^Invalid configuration: SEALED_ROOMS /);
  });

  it('SG2: the real server creates and joins a sealed room by default, and refuses one with SEALED_ROOMS=off', async () => {
    const on = await spawnNode({});
    nodes.push(on);
    const pair = await createSealedPair(on.url);
    const view = await http<{ sealed: boolean }>(on.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.b.token });
    expect(view.body.sealed).toBe(true);

    const off = await spawnNode({ SEALED_ROOMS: 'off' });
    nodes.push(off);
    await expect(createSealedPair(off.url)).rejects.toThrow(/sealed create failed: 400 .*not enabled/);
  });
});

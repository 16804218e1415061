// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DELETED_MARK_MS, forgetRoom, loadCredentials, roomWasDeleted, saveCredentials } from '../../client/src/lib/credentials';

describe('what this browser keeps of a room (client/src/lib/credentials.ts)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
    localStorage.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('KP1 a deleted room leaves no key, only a mark that says so, and the mark is gone after two weeks', () => {
    saveCredentials('room-1', { token: 'secret-token' });
    forgetRoom('room-1', { deleted: true });
    expect(loadCredentials('room-1')).toBeNull();
    expect(Object.values({ ...localStorage }).join(' ')).not.toContain('secret-token');
    expect(roomWasDeleted('room-1')).toBe(true);

    vi.setSystemTime(Date.now() + DELETED_MARK_MS - 1000);
    expect(roomWasDeleted('room-1')).toBe(true);
    vi.setSystemTime(Date.now() + 2000);
    expect(roomWasDeleted('room-1')).toBe(false);
    // Expired marks are removed, not just ignored: nothing of the room is left on the device.
    expect(Object.keys({ ...localStorage }).filter((k) => k.includes('room-1'))).toEqual([]);
  });

  it('KP2 leaving a room that was not deleted keeps no mark', () => {
    saveCredentials('room-2', { token: 'another-token' });
    forgetRoom('room-2');
    expect(roomWasDeleted('room-2')).toBe(false);
    expect(Object.keys({ ...localStorage }).filter((k) => k.includes('room-2'))).toEqual([]);
  });
});

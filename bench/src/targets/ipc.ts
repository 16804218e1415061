/** Messages between the bench (parent) and one target server (child process), over Node IPC. */

export type TargetName = 'parley' | 'parley-sealed' | 'bare' | 'hocuspocus';
/** What every scenario runs on unless it names its own targets (the sealed ones do). */
export const TARGETS: readonly TargetName[] = ['parley', 'bare', 'hocuspocus'];
/** Parley with sealed rooms on (`BuildOptions.sealedRooms`), for the sealed scenarios only. */
export const SEALED_TARGETS: readonly TargetName[] = ['parley', 'parley-sealed'];

export interface ProcessStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** user + system CPU of the target process since it started */
  cpuSeconds: number;
  /** server-side document load times (ms) recorded since the last `stats` call with reset */
  docLoadsMs: number[];
}

export type ParentMessage =
  | { type: 'stats'; id: number; gc: boolean; resetLoads: boolean }
  | { type: 'mark'; label: string }
  | { type: 'shutdown' };

export type ChildMessage =
  | { type: 'ready'; port: number; metricsPort: number | null }
  | { type: 'stats'; id: number; stats: ProcessStats }
  | { type: 'failed'; message: string };

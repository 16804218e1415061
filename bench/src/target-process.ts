import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './lib/bounded';
import type { ChildMessage, ParentMessage, ProcessStats, TargetName } from './targets/ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
const START_TIMEOUT_MS = 30_000;
const STATS_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 20_000;

export interface TargetOptions {
  /** write a V8 CPU profile of the server process into this directory */
  cpuProfDir?: string;
  /** extra environment for the server process (e.g. YPERSISTENCE for the bare server) */
  env?: Record<string, string>;
  /** reuse a data directory (cold resume restarts on the same files) */
  dataDir?: string;
  /** the bare server is in-memory unless asked to persist (its stock y-leveldb option) */
  persist?: boolean;
}

/**
 * One target server in its own child process (`node --import tsx bench/src/targets/<name>.ts`),
 * so its CPU and memory are its own. Traffic goes to 127.0.0.1 only.
 */
export class TargetProcess {
  readonly dataDir: string;
  private child: ChildProcess | null = null;
  private port = 0;
  private metricsPort: number | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (stats: ProcessStats) => void>();
  private readonly stderrTail: string[] = [];

  private constructor(
    readonly name: TargetName,
    private readonly opts: TargetOptions,
  ) {
    this.dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
  }

  static async start(name: TargetName, opts: TargetOptions = {}): Promise<TargetProcess> {
    const target = new TargetProcess(name, opts);
    await target.spawn();
    return target;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Parley's metrics listener; a restart may move it, so read it when scraping */
  get metricsUrl(): string {
    if (this.metricsPort === null) throw new Error(`${this.name} has no metrics listener`);
    return `http://127.0.0.1:${this.metricsPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async spawn(port = 0): Promise<void> {
    const flags = ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [])];
    let sourceMaps: Record<string, string> = {};
    if (this.opts.cpuProfDir) {
      // One directory per process: the main thread and tsx's loader thread each write a profile.
      const dir = path.join(this.opts.cpuProfDir, `${this.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      fs.mkdirSync(dir, { recursive: true });
      flags.unshift('--cpu-prof', `--cpu-prof-dir=${dir}`, '--enable-source-maps');
      sourceMaps = { BENCH_SOURCEMAPS_FILE: path.join(dir, 'sourcemaps.json'), BENCH_MARKS_FILE: path.join(dir, 'marks.jsonl') };
    }
    const child = spawn(process.execPath, [...flags, path.join(here, 'targets', `${this.name}.ts`)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BENCH_DATA_DIR: this.dataDir,
        BENCH_PORT: String(port),
        ...sourceMaps,
        ...(this.opts.persist && this.name === 'bare' ? { YPERSISTENCE: path.join(this.dataDir, 'leveldb') } : {}),
        ...this.opts.env,
      },
    });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 40));
    });
    const ready = new Promise<number>((resolve, reject) => {
      child.on('message', (raw: unknown) => {
        const message = raw as ChildMessage;
        if (message.type === 'ready') {
          this.metricsPort = message.metricsPort;
          resolve(message.port);
        } else if (message.type === 'failed') reject(new Error(`${this.name} failed to start: ${message.message}`));
        else if (message.type === 'stats') {
          this.waiting.get(message.id)?.(message.stats);
          this.waiting.delete(message.id);
        }
      });
      child.once('exit', (code) => reject(new Error(`${this.name} exited (${code}) before it was ready: ${this.stderr()}`)));
    });
    this.port = await withTimeout(`start ${this.name}`, START_TIMEOUT_MS, ready);
  }

  /** Memory, CPU and doc-load times of the server process; `gc` first for idle memory. */
  async stats(opts: { gc?: boolean; resetLoads?: boolean } = {}): Promise<ProcessStats> {
    const child = this.child;
    if (!child?.connected) throw new Error(`${this.name} is not running`);
    const id = this.nextId++;
    const answer = new Promise<ProcessStats>((resolve) => this.waiting.set(id, resolve));
    const message: ParentMessage = { type: 'stats', id, gc: opts.gc ?? false, resetLoads: opts.resetLoads ?? false };
    child.send(message);
    try {
      return await withTimeout(`${this.name} stats`, STATS_TIMEOUT_MS, answer);
    } finally {
      this.waiting.delete(id);
    }
  }

  /** Marks a moment in the server's CPU profile (e.g. the start of a measurement window). */
  mark(label: string): void {
    if (this.child?.connected) this.child.send({ type: 'mark', label } satisfies ParentMessage);
  }

  /** Graceful stop (flushes like SIGTERM would), SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'shutdown' } satisfies ParentMessage);
    else child.kill('SIGTERM');
    try {
      await withTimeout(`stop ${this.name}`, STOP_TIMEOUT_MS, exited);
    } catch {
      child.kill('SIGKILL');
      await exited;
    }
  }

  /** Stops and starts the server on the same data directory and port (cold resume). */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawn(this.port);
  }

  /** Stops the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Last lines the server wrote to stderr (for error reports). */
  stderr(): string {
    return this.stderrTail.slice(-10).join('\n');
  }

  /** Kills the process at once (bench watchdog). */
  kill(): void {
    this.child?.kill('SIGKILL');
  }
}

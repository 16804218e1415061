import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Canaries for the sealed-rooms proof (issue 16, "Proof"): distinct, unguessable strings, one per
 * field a partner writes, and scanners that say which of them appear, and in which encoding, in
 * bytes the server holds or handled (files, a V8 heap snapshot, process memory, logs, Postgres,
 * Redis, frames). Scanners return hits as data, with the bytes around each, so that a failing
 * assertion shows where a plaintext sat; `expect(hits).toEqual([])` is the usual check.
 *
 * A canary is `CANARY-<field>-<16 hex>`: ASCII letters, digits and `-` only, so JSON, logs and
 * heap snapshots keep it verbatim, and its UTF-16 forms are plain byte patterns.
 */

export type Canaries = Readonly<Record<string, string>>;

/** One canary per field, e.g. `makeCanaries(['answer', 'note'])` → `{ answer: 'CANARY-answer-3f…', … }`. */
export function makeCanaries<F extends string>(fields: readonly F[]): Record<F, string> {
  const out = {} as Record<F, string>;
  for (const field of fields) {
    if (!/^[A-Za-z0-9-]+$/.test(field)) throw new Error(`canary field ${field}: letters, digits and - only`);
    out[field] = `CANARY-${field}-${randomBytes(8).toString('hex')}`;
  }
  return out;
}

/**
 * How a canary can sit in bytes. base64 / base64url / hex cover a server (or a store driver)
 * that keeps bytes as text; base64 is checked at the three alignments a canary can have inside
 * a longer encoded blob, so a canary in the middle of a base64 field is found too.
 */
export type Form = 'utf8' | 'utf16le' | 'utf16be' | 'base64' | 'base64url' | 'hex';
export const ALL_FORMS: readonly Form[] = ['utf8', 'utf16le', 'utf16be', 'base64', 'base64url', 'hex'];
/** The forms worth the time on hundreds of megabytes (process memory). */
export const PLAIN_FORMS: readonly Form[] = ['utf8', 'utf16le', 'utf16be'];

export interface Needle {
  field: string;
  canary: string;
  form: Form;
  bytes: Buffer;
}

const utf16be = (s: string): Buffer => {
  const le = Buffer.from(s, 'utf16le');
  return le.swap16();
};

/**
 * The part of base64(prefix + canary + suffix) that depends on the canary alone, for each of the
 * three offsets the canary can have mod 3: the encoded groups fully inside the canary.
 */
function base64Cores(canary: Buffer, url: boolean): Buffer[] {
  const cores: Buffer[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), canary]);
    const text = padded.toString(url ? 'base64url' : 'base64');
    // groups of 4 chars encode 3 bytes; drop the first group if it mixes in the prefix, and the
    // last if it is partial (it would mix in whatever follows)
    const firstWhole = shift === 0 ? 0 : 4;
    const wholeGroups = Math.floor(padded.length / 3);
    const core = text.slice(firstWhole, wholeGroups * 4);
    if (core.length >= 12) cores.push(Buffer.from(core, 'latin1'));
  }
  return cores;
}

export function needlesOf(canaries: Canaries, forms: readonly Form[] = ALL_FORMS): Needle[] {
  const needles: Needle[] = [];
  for (const [field, canary] of Object.entries(canaries)) {
    const utf8 = Buffer.from(canary, 'utf8');
    for (const form of forms) {
      const list =
        form === 'utf8' ? [utf8]
        : form === 'utf16le' ? [Buffer.from(canary, 'utf16le')]
        : form === 'utf16be' ? [utf16be(canary)]
        : form === 'base64' ? base64Cores(utf8, false)
        : form === 'base64url' ? base64Cores(utf8, true)
        : [Buffer.from(utf8.toString('hex'), 'latin1'), Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1')];
      for (const bytes of list) needles.push({ field, canary, form, bytes });
    }
  }
  // the base64 alphabet contains the base64url one for these strings: keep one needle per bytes
  const seen = new Set<string>();
  return needles.filter((n) => {
    const key = `${n.canary}:${n.bytes.toString('hex')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Hit {
  field: string;
  canary: string;
  form: Form;
  /** what was scanned: a file path, `heap`, `log`, a table, a Redis key, a frame… */
  where: string;
  offset: number;
  /** up to 48 bytes either side, printable ASCII kept, other bytes as `.` */
  around: string;
}

const printable = (bytes: Buffer): string => Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');

const PLAIN = new Set<Form>(PLAIN_FORMS);

const commonPrefix = (strings: readonly string[]): string => {
  if (strings.length === 0) return '';
  let prefix = strings[0]!;
  for (const s of strings) while (!s.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
};

const encode = (text: string, form: Form): Buffer => (form === 'utf8' ? Buffer.from(text, 'utf8') : form === 'utf16le' ? Buffer.from(text, 'utf16le') : utf16be(text));

/** Every occurrence (at most `maxPerNeedle` each) of every needle in `haystack`. */
export function scanBuffer(haystack: Buffer | Uint8Array, canaries: Canaries, where: string, opts: { forms?: readonly Form[]; maxPerNeedle?: number; needles?: Needle[] } = {}): Hit[] {
  const buf = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  const max = opts.maxPerNeedle ?? 3;
  const hits: Hit[] = [];
  const hit = (needle: Needle, at: number) =>
    hits.push({ field: needle.field, canary: needle.canary, form: needle.form, where, offset: at, around: printable(buf.subarray(Math.max(0, at - 48), at + needle.bytes.length + 48)) });
  const needles = opts.needles ?? needlesOf(canaries, opts.forms);
  // plain forms: one pass per form for the prefix every canary shares (`CANARY-`), then a
  // comparison per canary where it matched; hundreds of megabytes stay quick
  const prefix = commonPrefix(needles.map((n) => n.canary));
  const rest: Needle[] = [];
  for (const form of PLAIN_FORMS) {
    const ofForm = needles.filter((n) => n.form === form);
    if (ofForm.length === 0) continue;
    if (prefix.length < 4) {
      rest.push(...ofForm);
      continue;
    }
    const head = encode(prefix, form);
    const counts = new Map<Needle, number>();
    for (let at = buf.indexOf(head); at !== -1; at = buf.indexOf(head, at + 1)) {
      for (const needle of ofForm) {
        if ((counts.get(needle) ?? 0) >= max || at + needle.bytes.length > buf.length) continue;
        if (buf.compare(needle.bytes, 0, needle.bytes.length, at, at + needle.bytes.length) === 0) {
          counts.set(needle, (counts.get(needle) ?? 0) + 1);
          hit(needle, at);
        }
      }
    }
  }
  for (const needle of [...rest, ...needles.filter((n) => !PLAIN.has(n.form))]) {
    let from = 0;
    for (let n = 0; n < max; n++) {
      const at = buf.indexOf(needle.bytes, from);
      if (at === -1) break;
      hit(needle, at);
      from = at + 1;
    }
  }
  return hits;
}

/** Which canaries (by field) the hits name, sorted: handy for "exactly these were found". */
export const fieldsOf = (hits: readonly Hit[]): string[] => [...new Set(hits.map((h) => h.field))].sort();

/** Every file under `dir` (recursively: SQLite's parley.db, -wal, -shm and whatever else the server wrote). */
export function scanDir(dir: string, canaries: Canaries, opts: { forms?: readonly Form[] } = {}): Hit[] {
  const needles = needlesOf(canaries, opts.forms);
  const hits: Hit[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) hits.push(...scanBuffer(fs.readFileSync(full), canaries, path.relative(dir, full), { needles }));
    }
  };
  walk(dir);
  return hits;
}

/** The files `scanDir` would read, with their sizes: to assert that the scan saw the database at all. */
export function filesOf(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[path.relative(dir, full)] = fs.statSync(full).size;
    }
  };
  walk(dir);
  return out;
}

/** Log text (pino JSON lines): every form, since a logged buffer may be base64 or hex. */
export const scanText = (text: string, canaries: Canaries, where = 'log'): Hit[] => scanBuffer(Buffer.from(text, 'utf8'), canaries, where);

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * A V8 heap snapshot (`.heapsnapshot`, JSON). Two passes:
 * - the file's bytes, every form (flat strings are in its `strings` table, JSON-escaped; a
 *   canary is plain ASCII so it stays verbatim; a two-byte string is written as UTF-8 too);
 * - every "concatenated string" (V8 ConsString: text typed piece by piece, or built with `+`)
 *   flattened from its `first` / `second` pieces, which the file only holds apart.
 * The string table keeps at most `--heap-snapshot-string-limit` characters of a string (1024 by
 * default): start the process with a high limit (tests/helpers/processes.ts does).
 * Off-heap memory (ArrayBuffer / Buffer contents, e.g. a received frame) is NOT in a heap
 * snapshot: `scanProcessMemory` covers it.
 */
export function scanHeapSnapshot(file: string, canaries: Canaries): Hit[] {
  const raw = fs.readFileSync(file);
  const hits = scanBuffer(raw, canaries, 'heap');
  const snap = JSON.parse(raw.toString('utf8')) as HeapSnapshot;
  const { node_fields: nodeFields, node_types: nodeTypes, edge_fields: edgeFields, edge_types: edgeTypes } = snap.snapshot.meta;
  const nodeWidth = nodeFields.length;
  const edgeWidth = edgeFields.length;
  const typeAt = nodeFields.indexOf('type');
  const nameAt = nodeFields.indexOf('name');
  const edgeCountAt = nodeFields.indexOf('edge_count');
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const edgeToAt = edgeFields.indexOf('to_node');
  const consType = nodeTypes[0].indexOf('concatenated string');
  const stringTypes = new Set(['string', 'concatenated string', 'sliced string'].map((t) => nodeTypes[0].indexOf(t)));
  const internalEdge = edgeTypes[0].indexOf('internal');
  const firstEdges = new Array<number>(snap.nodes.length / nodeWidth);
  {
    let edge = 0;
    for (let i = 0; i < snap.nodes.length; i += nodeWidth) {
      firstEdges[i / nodeWidth] = edge;
      edge += snap.nodes[i + edgeCountAt]! * edgeWidth;
    }
  }
  // flatten only the roots (a cons string no other cons string holds): a chain typed piece by
  // piece nests deeply, so this walks it with a stack, not recursion
  const consChildren = new Set<number>();
  const piecesOf = (node: number): number[] => {
    const out: number[] = [];
    const start = firstEdges[node]!;
    let first = -1;
    let second = -1;
    for (let e = start; e < start + snap.nodes[node * nodeWidth + edgeCountAt]! * edgeWidth; e += edgeWidth) {
      if (snap.edges[e + edgeTypeAt] !== internalEdge) continue;
      const name = snap.strings[snap.edges[e + edgeNameAt]!];
      if (name === 'first') first = snap.edges[e + edgeToAt]! / nodeWidth;
      else if (name === 'second') second = snap.edges[e + edgeToAt]! / nodeWidth;
    }
    if (first !== -1) out.push(first);
    if (second !== -1) out.push(second);
    return out;
  };
  const isCons = (node: number) => snap.nodes[node * nodeWidth + typeAt] === consType;
  for (let node = 0; node < firstEdges.length; node++) if (isCons(node)) for (const p of piecesOf(node)) consChildren.add(p);
  const texts: string[] = [];
  for (let root = 0; root < firstEdges.length; root++) {
    if (!isCons(root) || consChildren.has(root)) continue;
    const parts: string[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (isCons(node)) stack.push(...piecesOf(node).reverse());
      else if (stringTypes.has(snap.nodes[node * nodeWidth + typeAt]!)) parts.push(snap.strings[snap.nodes[node * nodeWidth + nameAt]!] ?? '');
    }
    texts.push(parts.join(''));
  }
  hits.push(...scanBuffer(Buffer.from(texts.join('\n'), 'utf8'), canaries, 'heap (concatenated strings)'));
  return hits;
}

/**
 * Every readable mapping of a live process (`/proc/<pid>/maps` + `/proc/<pid>/mem`): the V8 heap,
 * off-heap buffers, freed-but-not-overwritten memory, native libraries' buffers. Needs the right to
 * ptrace the process (its parent, or root). Plain forms only: base64 in memory would be a
 * string, which the heap snapshot covers with every form.
 */
export function scanProcessMemory(pid: number, canaries: Canaries): { hits: Hit[]; bytes: number } {
  const needles = needlesOf(canaries, PLAIN_FORMS);
  const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fd = fs.openSync(`/proc/${pid}/mem`, 'r');
  const hits: Hit[] = [];
  let bytes = 0;
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  const overlap = 256;
  try {
    for (const line of maps) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (r)[-w][-x][ps] \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (!m) continue;
      const label = m[4] ?? '';
      // the process's code and libraries as mapped from disk hold no user data
      if (label.startsWith('/') && !label.includes('(deleted)')) continue;
      if (label === '[vvar]' || label === '[vsyscall]') continue;
      const start = BigInt(`0x${m[1]}`);
      const end = BigInt(`0x${m[2]}`);
      for (let at = start; at < end; ) {
        const want = Number(end - at < BigInt(chunk.length) ? end - at : BigInt(chunk.length));
        let got: number;
        try {
          got = fs.readSync(fd, chunk, 0, want, at);
        } catch {
          break; // an unreadable mapping (guard pages): skip the rest of it
        }
        if (got <= 0) break;
        bytes += got;
        for (const hit of scanBuffer(chunk.subarray(0, got), canaries, `memory ${label || 'anon'} @0x${at.toString(16)}`, { needles, maxPerNeedle: 1 })) hits.push(hit);
        // step back a little so a canary across two chunks is seen whole
        at += BigInt(got > overlap && got === want && at + BigInt(got) < end ? got - overlap : got);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return { hits, bytes };
}

/** A row value as the bytes it holds: bytea as is, text as UTF-8, anything else as JSON. */
const bytesOfValue = (value: unknown): Buffer => {
  if (value === null || value === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value), 'utf8');
};

interface PgQueryable {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Every row of every table of `schema` (`SELECT *`; bytea comes as bytes, jsonb and text as
 * UTF-8), scanned table by table. Returns the row count per table too, so a test can assert
 * that the dump saw the room (an empty dump would pass vacuously).
 */
export async function scanPostgres(client: PgQueryable, schema: string, canaries: Canaries): Promise<{ hits: Hit[]; rows: Record<string, number> }> {
  const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name", [schema]);
  const needles = needlesOf(canaries);
  const hits: Hit[] = [];
  const rows: Record<string, number> = {};
  for (const { table_name: table } of tables.rows) {
    const result = await client.query<Record<string, unknown>>(`SELECT * FROM "${schema}"."${table}"`);
    rows[table] = result.rows.length;
    result.rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        hits.push(...scanBuffer(bytesOfValue(value), canaries, `${table}[${i}].${column}`, { needles }));
      }
    });
  }
  return { hits, rows };
}

/**
 * The commands of node-redis v5 this needs: SCAN on a plain client (its iterator compares the
 * cursor with '0', so a buffer-mapped client would loop forever), and the value reads on one
 * mapped to return buffers (`client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })`).
 */
interface RedisLike {
  scanIterator(opts: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}
interface RedisBuffers {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Flattens a RESP reply of buffers / arrays / maps into buffers. */
const flattenReply = (reply: unknown): Buffer[] => {
  if (reply === null || reply === undefined) return [];
  if (Buffer.isBuffer(reply)) return [reply];
  if (typeof reply === 'string') return [Buffer.from(reply, 'utf8')];
  if (typeof reply === 'number' || typeof reply === 'bigint') return [Buffer.from(String(reply))];
  if (Array.isArray(reply)) return reply.flatMap(flattenReply);
  if (reply instanceof Map) return [...reply.entries()].flatMap(([k, v]) => [...flattenReply(k), ...flattenReply(v)]);
  if (typeof reply === 'object') return Object.entries(reply).flatMap(([k, v]) => [Buffer.from(k), ...flattenReply(v)]);
  return [];
};

/**
 * Every key matching `match` (a whole private Redis: `*`), read by its type as raw bytes: string
 * GET, hash HGETALL, list LRANGE, set SMEMBERS, zset ZRANGE WITHSCORES, stream XRANGE. (DUMP is not
 * used: it LZF-compresses values, which would hide a canary.) Keys are scanned as well as values.
 */
export async function scanRedis(client: RedisLike, buffers: RedisBuffers, canaries: Canaries, match = '*'): Promise<{ hits: Hit[]; keys: string[] }> {
  const needles = needlesOf(canaries);
  const hits: Hit[] = [];
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: match, COUNT: 500 })) keys.push(...batch);
  for (const key of keys) {
    hits.push(...scanBuffer(Buffer.from(key), canaries, `redis key ${key}`, { needles }));
    const type = String(await buffers.sendCommand(['TYPE', key]));
    const command =
      type === 'string' ? ['GET', key]
      : type === 'hash' ? ['HGETALL', key]
      : type === 'list' ? ['LRANGE', key, '0', '-1']
      : type === 'set' ? ['SMEMBERS', key]
      : type === 'zset' ? ['ZRANGE', key, '0', '-1', 'WITHSCORES']
      : type === 'stream' ? ['XRANGE', key, '-', '+']
      : null;
    if (!command) continue;
    const value = await buffers.sendCommand(command);
    for (const part of flattenReply(value)) hits.push(...scanBuffer(part, canaries, `redis ${type} ${key}`, { needles }));
  }
  return { hits, keys };
}

/**
 * Decodes one line of Redis MONITOR output (`+<time> [db addr] "CMD" "arg" …`, each argument
 * escaped as sdscatrepr does: `\xHH`, `\\`, `\"`, `\n`, `\r`, `\t`, `\a`, `\b`) into the raw bytes
 * of its arguments, so a UTF-16 or binary payload is scanned as the bytes it was.
 */
export function decodeMonitorLine(line: string): Buffer[] {
  const args: Buffer[] = [];
  let i = line.indexOf('"');
  while (i !== -1 && i < line.length) {
    const bytes: number[] = [];
    i++;
    while (i < line.length && line[i] !== '"') {
      const c = line[i]!;
      if (c === '\\' && i + 1 < line.length) {
        const n = line[i + 1]!;
        if (n === 'x' && i + 3 < line.length) {
          bytes.push(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        bytes.push(({ n: 10, r: 13, t: 9, a: 7, b: 8 } as Record<string, number>)[n] ?? n.charCodeAt(0));
        i += 2;
        continue;
      }
      bytes.push(c.charCodeAt(0) & 0xff);
      i++;
    }
    args.push(Buffer.from(bytes));
    i = line.indexOf('"', i + 1);
  }
  return args;
}

/** Scans MONITOR output (every command every client sent to Redis: PUBLISH payloads, stream adds…). */
export function scanMonitor(lines: readonly string[], canaries: Canaries): Hit[] {
  const needles = needlesOf(canaries);
  const hits: Hit[] = [];
  lines.forEach((line, n) => {
    for (const arg of decodeMonitorLine(line)) hits.push(...scanBuffer(arg, canaries, `redis command #${n}`, { needles, maxPerNeedle: 1 }));
  });
  return hits;
}

/**
 * MONITOR on a Redis (a private one: `spawnRedis`) over a raw socket: every command any client
 * sends from now on, one line each, until `stop()`. `mark()` sends a PING whose echo in the
 * stream is a positive barrier (everything sent before it is in `lines`).
 */
export async function monitorRedis(port: number): Promise<{ lines: string[]; mark(): Promise<void>; stop(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  const lines: string[] = [];
  let rest = '';
  const waiters: { token: string; resolve: () => void }[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => {
    const parts = (rest + data).split('\r\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (!line.includes(w.token)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write('MONITOR\r\n');
  await new Promise<void>((resolve) => waiters.push({ token: '+OK', resolve }));
  const mark = async () => {
    const token = `mark-${randomBytes(6).toString('hex')}`;
    const done = new Promise<void>((resolve) => waiters.push({ token, resolve }));
    const probe = net.connect(port, '127.0.0.1');
    probe.on('error', () => undefined);
    probe.write(`ECHO ${token}\r\n`);
    await done;
    probe.destroy();
  };
  return { lines, mark, stop: () => socket.destroy() };
}

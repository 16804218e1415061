import { z } from 'zod';

/**
 * The one environment schema. Invalid configuration stops start-up with one clear line
 * naming the variable (see `loadConfig`).
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  DATA_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64')
    .optional(),
  DATA_KEY_PREVIOUS: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64')
    .optional(),
  ROOM_TTL_DAYS: z.coerce.number().positive().default(180),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  ALLOWED_ORIGINS: z.string().optional(),
  SYNC_WRITES: z.enum(['normal', 'full']).default('normal'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  STATIC_DIR: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  MAX_DOCS: z.coerce.number().int().min(1).default(20_000),
  MAX_CONNECTIONS_PER_ROOM: z.coerce.number().int().min(1).default(32),
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(1000),
  MAX_DOC_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  SEALED_ROOMS: z.enum(['on', 'off']).default('on'),
});

/** Every environment variable Parley reads (docker-compose.yml and the README are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

export interface Config {
  port: number;
  host: string;
  /** origin used in links, no trailing slash */
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  dataKey: Buffer | null;
  /** the key being rotated away from: still read, never written (see docs/operations.md) */
  dataKeyPrevious: Buffer | null;
  roomTtlDays: number;
  maxMessageBytes: number;
  logLevel: string;
  rateLimitPerMinute: number;
  /** origins allowed to open WebSockets; requests without an Origin header are allowed */
  allowedOrigins: string[];
  syncWrites: 'normal' | 'full';
  /** port of the separate metrics listener (`GET /metrics`); null → none. Never the public port. */
  metricsPort: number | null;
  /** bind address of the metrics listener */
  metricsHost: string;
  /** directory of the built client; null → not served */
  staticDir: string | null;
  /**
   * Behind a reverse proxy: `true` trusts X-Forwarded-For from any hop, or a comma list of
   * proxy addresses/CIDRs. Client IPs (rate limits, connection caps) come from it.
   */
  trustProxy: boolean | string;
  /** sealed rooms (issue 16): `POST /api/rooms {sealed: true}` and the `/sealed` channel */
  sealedRooms: boolean;
  limits: {
    /** Yjs documents in memory per process; beyond, new docs are refused with 4503 */
    maxDocs: number;
    /** WebSockets (Yjs) and control sockets per room */
    maxConnectionsPerRoom: number;
    /** WebSockets (Yjs) and control sockets per client IP */
    maxConnectionsPerIp: number;
    /** stored size of one document; an update that would pass it is refused (1009) */
    maxDocBytes: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  if (e.DATA_KEY_PREVIOUS && !e.DATA_KEY) {
    throw new ConfigError('Invalid configuration: DATA_KEY_PREVIOUS is set without DATA_KEY (the key to rotate to)');
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError('Invalid configuration: METRICS_PORT must differ from PORT (metrics are not served on the public listener)');
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  const origins = e.ALLOWED_ORIGINS
    ? e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)
    : [new URL(publicUrl).origin];
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    dataKey: e.DATA_KEY ? Buffer.from(e.DATA_KEY, 'base64') : null,
    dataKeyPrevious: e.DATA_KEY_PREVIOUS ? Buffer.from(e.DATA_KEY_PREVIOUS, 'base64') : null,
    roomTtlDays: e.ROOM_TTL_DAYS,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    allowedOrigins: origins,
    syncWrites: e.SYNC_WRITES,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
    staticDir: e.STATIC_DIR ?? null,
    trustProxy: e.TRUST_PROXY === undefined || e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY,
    sealedRooms: e.SEALED_ROOMS === 'on',
    limits: {
      maxDocs: e.MAX_DOCS,
      maxConnectionsPerRoom: e.MAX_CONNECTIONS_PER_ROOM,
      maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
      maxDocBytes: e.MAX_DOC_BYTES,
    },
  };
}

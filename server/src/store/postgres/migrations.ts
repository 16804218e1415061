import type pg from 'pg';

export interface Migration {
  version: number;
  sql: string;
}

/**
 * Schema history, oldest first. Never edit an applied entry: append a new version instead,
 * since databases in the field only ever run the versions they have not seen. Same tables
 * as the SQLite schema; ms timestamps are BIGINT, hashes and updates BYTEA.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE rooms (
        id               TEXT PRIMARY KEY,
        title            TEXT,
        reveal_mode      TEXT NOT NULL,
        template_id      TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        created_at       BIGINT NOT NULL,
        touched_at       BIGINT NOT NULL,
        workshop_id      TEXT
      );
      CREATE INDEX rooms_touched_at ON rooms (touched_at);

      CREATE TABLE participants (
        id           TEXT PRIMARY KEY,
        room_id      TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        seat         TEXT NOT NULL CHECK (seat IN ('a', 'b')),
        display_name TEXT NOT NULL,
        token_hash   BYTEA NOT NULL UNIQUE,
        created_at   BIGINT NOT NULL,
        UNIQUE (room_id, seat)
      );

      CREATE TABLE invites (
        room_id    TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        token_hash BYTEA NOT NULL,
        used_at    BIGINT
      );

      -- No rowid in Postgres: ord keeps the template order (insertion order); an upsert
      -- leaves it unchanged.
      CREATE TABLE sections (
        room_id     TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        section_id  TEXT NOT NULL,
        ord         BIGINT GENERATED ALWAYS AS IDENTITY,
        state       TEXT NOT NULL CHECK (state IN ('open', 'revealed')),
        round       INTEGER NOT NULL,
        ready_a     BOOLEAN NOT NULL,
        ready_b     BOOLEAN NOT NULL,
        revealed_at BIGINT,
        PRIMARY KEY (room_id, section_id)
      );
      CREATE INDEX sections_room_ord ON sections (room_id, ord);

      CREATE TABLE deleted_tokens (
        token_hash BYTEA PRIMARY KEY,
        deleted_at BIGINT NOT NULL
      );
      CREATE INDEX deleted_tokens_deleted_at ON deleted_tokens (deleted_at);

      -- seq orders a doc's log. Unlike SQLite, concurrent writers may commit seqs out of
      -- order, so compaction deletes exactly the seqs it merged, never "seq <= n".
      CREATE TABLE doc_updates (
        seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        room_id  TEXT NOT NULL,
        doc_name TEXT NOT NULL,
        data     BYTEA NOT NULL
      );
      CREATE INDEX doc_updates_doc_seq ON doc_updates (doc_name, seq);
      CREATE INDEX doc_updates_room ON doc_updates (room_id);

      -- version is bumped by every compaction: the optimistic check that a slower
      -- compaction on another node does not overwrite a newer snapshot.
      CREATE TABLE doc_snapshots (
        doc_name TEXT PRIMARY KEY,
        room_id  TEXT NOT NULL,
        data     BYTEA NOT NULL,
        version  BIGINT NOT NULL
      );
      CREATE INDEX doc_snapshots_room ON doc_snapshots (room_id);
    `,
  },
  {
    version: 2,
    sql: `
      -- At-rest encryption (DATA_KEY): a constant sealed with the key, so start-up can tell a
      -- wrong key before reading anything else. At most one row; none while unencrypted.
      CREATE TABLE data_key_check (
        id         SMALLINT PRIMARY KEY CHECK (id = 1),
        value      BYTEA NOT NULL,
        written_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- Workshops (issue 6). The facilitator token is kept only as its SHA-256. A join code is
      -- unique among workshops that have not ended.
      CREATE TABLE workshops (
        id               TEXT PRIMARY KEY,
        title            TEXT NOT NULL,
        facilitator_name TEXT NOT NULL,
        facilitator_hash BYTEA NOT NULL UNIQUE,
        join_code        TEXT NOT NULL,
        template_id      TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        lock_sections    BOOLEAN NOT NULL,
        unlocked         TEXT NOT NULL,
        timer_ends_at    BIGINT,
        message          TEXT,
        message_at       BIGINT,
        created_at       BIGINT NOT NULL,
        ended_at         BIGINT
      );
      CREATE UNIQUE INDEX workshops_active_join_code ON workshops (join_code) WHERE ended_at IS NULL;

      -- A pair is an ordinary room linked to a workshop; it goes when the room goes.
      CREATE TABLE workshop_pairs (
        room_id     TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        pair_code   TEXT NOT NULL,
        hand_raised BOOLEAN NOT NULL DEFAULT FALSE,
        practice    BOOLEAN NOT NULL DEFAULT FALSE,
        created_at  BIGINT NOT NULL,
        UNIQUE (workshop_id, pair_code)
      );
      CREATE INDEX rooms_workshop ON rooms (workshop_id);
    `,
  },
  {
    version: 4,
    sql: `
      -- Erasing a room starts with this tombstone, in its own committed statement (issue 11):
      -- from then on no node lets anyone in, loads its docs or stores a write for it, while
      -- its live docs are closed and its rows deleted. Set only while an erase runs, or if one
      -- stopped half-way (retention finishes those).
      ALTER TABLE rooms ADD COLUMN erasing_at BIGINT;
      CREATE INDEX rooms_erasing_at ON rooms (erasing_at) WHERE erasing_at IS NOT NULL;
    `,
  },
  {
    version: 5,
    sql: `
      -- Pairing proposals (issue 11): two people waiting alone are seated together only once
      -- both confirmed each other on their own devices. A room is part of at most one proposal
      -- (checked on insert); the row goes with either room or the workshop.
      CREATE TABLE pair_proposals (
        into_room       TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        from_room       TEXT NOT NULL UNIQUE REFERENCES rooms (id) ON DELETE CASCADE,
        workshop_id     TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        proposed_by     TEXT NOT NULL CHECK (proposed_by IN ('code', 'facilitator')),
        seed            TEXT NOT NULL,
        into_confirmed  BOOLEAN NOT NULL DEFAULT FALSE,
        from_confirmed  BOOLEAN NOT NULL DEFAULT FALSE,
        created_at      BIGINT NOT NULL
      );
      CREATE INDEX pair_proposals_workshop ON pair_proposals (workshop_id);
    `,
  },
  {
    // 7, not 6: the numbers follow SQLite's, where 6 rekeyed the update log (nothing to do here).
    version: 7,
    sql: `
      -- A workshop's own worksheets (issue 14): each saved version, immutable, as validated JSON
      -- (sealed with DATA_KEY). id is '<template_id>@<version>'. No foreign key: a version stays
      -- while a room uses it, after its workshop is gone; retention deletes the unused ones.
      CREATE TABLE workshop_templates (
        id          TEXT PRIMARY KEY,
        template_id TEXT NOT NULL,
        version     INTEGER NOT NULL,
        workshop_id TEXT NOT NULL,
        body        TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        UNIQUE (template_id, version)
      );
      CREATE INDEX workshop_templates_workshop ON workshop_templates (workshop_id);
      CREATE INDEX rooms_template ON rooms (template_id);
    `,
  },
  {
    version: 8,
    sql: `
      -- Sealed rooms (issue 16), as SQLite's migration 8 says.
      ALTER TABLE rooms ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE participants ADD COLUMN public_key BYTEA CHECK (public_key IS NULL OR octet_length(public_key) = 32);
      ALTER TABLE participants ADD COLUMN binding BYTEA CHECK (binding IS NULL OR octet_length(binding) = 32);
      CREATE INDEX invites_token_hash ON invites (token_hash);
    `,
  },
  {
    // SQLite has no 9: its per-doc seq already is the log position (migration 6).
    version: 9,
    sql: `
      -- Sealed docs (issue 16): the log position of an entry, counted per doc under the doc's
      -- advisory lock, so positions follow commit order on every node; and the position a
      -- client's snapshot covers. NULL for standard docs, which never read them.
      ALTER TABLE doc_updates ADD COLUMN pos BIGINT;
      ALTER TABLE doc_snapshots ADD COLUMN upto_pos BIGINT;
    `,
  },
  {
    version: 10,
    sql: `
      -- Sealed rooms' escrow (issue 16), as SQLite's migration 10 says.
      CREATE TABLE escrow (
        room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        section_id TEXT NOT NULL,
        seat       TEXT NOT NULL CHECK (seat IN ('a', 'b')),
        round      INTEGER NOT NULL,
        envelope   BYTEA NOT NULL,
        PRIMARY KEY (room_id, section_id, seat)
      );
    `,
  },
];

export interface MigrateOptions {
  /** schema to create and migrate; null for the connection's default */
  schema: string | null;
  migrations?: readonly Migration[];
  now?: () => number;
}

/**
 * Applies the migrations the database has not seen. Must run inside a transaction (the
 * caller's): the advisory lock is held until COMMIT, so nodes starting at once queue up
 * and each later one finds the versions already recorded. A crash mid-way leaves the
 * previous schema intact. Safe to call on every start.
 */
export async function runMigrations(client: pg.ClientBase, opts: MigrateOptions): Promise<void> {
  const migrations = opts.migrations ?? MIGRATIONS;
  const now = opts.now ?? Date.now;
  // One lock per schema, so test schemas do not serialize each other.
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `parley:migrations:${opts.schema ?? ''}`,
  ]);
  if (opts.schema !== null) {
    // The name was validated by openPostgres; quoting keeps it an identifier regardless.
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
  }
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at BIGINT NOT NULL
  )`);

  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const seen = new Set(rows.map((row) => row.version));
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...seen].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    // Running old code on a newer schema would corrupt data silently; refuse to start.
    throw new Error(`database has schema versions this server does not know: ${unknown.join(', ')}`);
  }
  for (const migration of [...migrations].sort((x, y) => x.version - y.version)) {
    if (seen.has(migration.version)) continue;
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
      migration.version,
      now(),
    ]);
  }
}

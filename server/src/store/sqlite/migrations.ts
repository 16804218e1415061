import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
}

/**
 * Schema history, oldest first. Never edit an applied entry: append a new version instead,
 * since databases in the field only ever run the versions they have not seen.
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
        created_at       INTEGER NOT NULL,
        touched_at       INTEGER NOT NULL,
        workshop_id      TEXT
      );
      CREATE INDEX rooms_touched_at ON rooms (touched_at);

      CREATE TABLE participants (
        id           TEXT PRIMARY KEY,
        room_id      TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        seat         TEXT NOT NULL CHECK (seat IN ('a', 'b')),
        display_name TEXT NOT NULL,
        token_hash   BLOB NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        UNIQUE (room_id, seat)
      );

      CREATE TABLE invites (
        room_id    TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL,
        used_at    INTEGER
      );

      CREATE TABLE sections (
        room_id     TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        section_id  TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('open', 'revealed')),
        round       INTEGER NOT NULL,
        ready_a     INTEGER NOT NULL,
        ready_b     INTEGER NOT NULL,
        revealed_at INTEGER,
        PRIMARY KEY (room_id, section_id)
      );

      CREATE TABLE deleted_tokens (
        token_hash BLOB PRIMARY KEY,
        deleted_at INTEGER NOT NULL
      );
      CREATE INDEX deleted_tokens_deleted_at ON deleted_tokens (deleted_at);

      -- AUTOINCREMENT: a seq is never reused, so a snapshot's upto_seq stays meaningful.
      CREATE TABLE doc_updates (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        room_id  TEXT NOT NULL,
        doc_name TEXT NOT NULL,
        data     BLOB NOT NULL
      );
      CREATE INDEX doc_updates_doc_seq ON doc_updates (doc_name, seq);
      CREATE INDEX doc_updates_room ON doc_updates (room_id);

      CREATE TABLE doc_snapshots (
        doc_name TEXT PRIMARY KEY,
        room_id  TEXT NOT NULL,
        data     BLOB NOT NULL,
        upto_seq INTEGER NOT NULL
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
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        value      BLOB NOT NULL,
        written_at INTEGER NOT NULL
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
        facilitator_hash BLOB NOT NULL UNIQUE,
        join_code        TEXT NOT NULL,
        template_id      TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        lock_sections    INTEGER NOT NULL,
        unlocked         TEXT NOT NULL,
        timer_ends_at    INTEGER,
        message          TEXT,
        message_at       INTEGER,
        created_at       INTEGER NOT NULL,
        ended_at         INTEGER
      );
      CREATE UNIQUE INDEX workshops_active_join_code ON workshops (join_code) WHERE ended_at IS NULL;

      -- A pair is an ordinary room linked to a workshop; it goes when the room goes.
      CREATE TABLE workshop_pairs (
        room_id     TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        pair_code   TEXT NOT NULL,
        hand_raised INTEGER NOT NULL DEFAULT 0,
        practice    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
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
      ALTER TABLE rooms ADD COLUMN erasing_at INTEGER;
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
        into_confirmed  INTEGER NOT NULL DEFAULT 0,
        from_confirmed  INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX pair_proposals_workshop ON pair_proposals (workshop_id);
    `,
  },
  {
    version: 6,
    sql: `
      -- The update log keyed by (doc_name, seq), seq counted per doc (issue 17, speed). A
      -- commit of one update used to write four b-tree pages (the table, its doc and room
      -- indexes, and sqlite_sequence for AUTOINCREMENT); now it writes two. A room's rows are
      -- found by the doc-name range "<room>/" .. "<room>0" on the primary key, so room_id needs
      -- no index; it stays for the orphan sweep. Existing rows keep their seq: it only ever grew
      -- within a doc, and snapshots' upto_seq refer to it.
      CREATE TABLE doc_updates_v6 (
        doc_name TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        room_id  TEXT NOT NULL,
        data     BLOB NOT NULL,
        PRIMARY KEY (doc_name, seq)
      );
      INSERT INTO doc_updates_v6 (doc_name, seq, room_id, data) SELECT doc_name, seq, room_id, data FROM doc_updates;
      DROP TABLE doc_updates;
      ALTER TABLE doc_updates_v6 RENAME TO doc_updates;
      DELETE FROM sqlite_sequence WHERE name = 'doc_updates';
    `,
  },
  {
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
        created_at  INTEGER NOT NULL,
        UNIQUE (template_id, version)
      );
      CREATE INDEX workshop_templates_workshop ON workshop_templates (workshop_id);
      CREATE INDEX rooms_template ON rooms (template_id);
    `,
  },
  {
    version: 8,
    sql: `
      -- Sealed rooms (issue 16): the room says it is sealed; each of its participants holds the
      -- X25519 public key its client derived and the key's binding under the invite (32 bytes
      -- each, public by design; null in standard rooms). They go with the participant's row.
      -- The index lets a create or join check that a client-made token is not an invite's.
      ALTER TABLE rooms ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE participants ADD COLUMN public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 32);
      ALTER TABLE participants ADD COLUMN binding BLOB CHECK (binding IS NULL OR length(binding) = 32);
      CREATE INDEX invites_token_hash ON invites (token_hash);
    `,
  },
  {
    // 10, not 9: the sealed doc channel's migration takes 9 (issue 16); numbers may have gaps.
    version: 10,
    sql: `
      -- Sealed rooms (issue 16, docs/sealed-rooms.md §5): each seat's escrow of a section, an
      -- envelope the server cannot open (sealed again with DATA_KEY when it is set). One per
      -- seat and section; erased with the room.
      CREATE TABLE escrow (
        room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        section_id TEXT NOT NULL,
        seat       TEXT NOT NULL CHECK (seat IN ('a', 'b')),
        round      INTEGER NOT NULL,
        envelope   BLOB NOT NULL,
        PRIMARY KEY (room_id, section_id, seat)
      );
    `,
  },
];

/**
 * Applies the migrations the database has not seen, all in one transaction so a crash
 * mid-way leaves the previous schema intact. Safe to call on every open.
 */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`);
  const applied = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations');
  const record = db.prepare<[number, number]>(
    'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
  );

  // IMMEDIATE: two processes opening the same file must not both apply version N.
  db.transaction(() => {
    const seen = new Set(applied.all().map((row) => row.version));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...seen].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      // Running old code on a newer schema would corrupt data silently; refuse to start.
      throw new Error(`database has schema versions this server does not know: ${unknown.join(', ')}`);
    }
    for (const migration of [...migrations].sort((x, y) => x.version - y.version)) {
      if (seen.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, now());
    }
  }).immediate();
}

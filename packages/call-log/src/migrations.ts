import type { Database } from 'better-sqlite3';

/**
 * The schema, one migration per version (`PRAGMA user_version` holds the version a file is at).
 * Append only: a released migration is never edited, the next change is the next entry.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls, attempts, full-text search over content.
  `
  CREATE TABLE calls (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,
    app_root TEXT,
    chain TEXT,
    provider TEXT NOT NULL,
    plugin_package TEXT,
    plugin_version TEXT,
    requested_model TEXT,
    model TEXT,
    outcome TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    retries INTEGER NOT NULL,
    wait_ms REAL NOT NULL,
    finish_reason TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    usage_source TEXT,
    cost REAL,
    currency TEXT,
    duration_ms REAL NOT NULL,
    first_chunk_ms REAL,
    streamed INTEGER NOT NULL,
    cached INTEGER NOT NULL,
    coalesced INTEGER NOT NULL,
    tags TEXT,
    content_policy TEXT NOT NULL,
    route TEXT,
    extra TEXT
  );
  CREATE INDEX calls_started_at ON calls (started_at);
  -- Covers the latency lists that stats read in group order (an index-only scan, no sort).
  CREATE INDEX calls_provider_model ON calls (provider, model, started_at, duration_ms, first_chunk_ms);
  CREATE INDEX calls_outcome ON calls (outcome, started_at);
  CREATE TABLE attempts (
    call_seq INTEGER NOT NULL REFERENCES calls (seq) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    provider TEXT NOT NULL,
    plugin_package TEXT,
    plugin_version TEXT,
    attempt INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    error_code TEXT,
    started_at INTEGER,
    duration_ms REAL NOT NULL,
    wait_ms REAL,
    note TEXT,
    PRIMARY KEY (call_seq, n)
  ) WITHOUT ROWID;
  -- Content apart from the figures: stats and lists scan narrow rows, not prompts.
  CREATE TABLE call_content (
    call_seq INTEGER PRIMARY KEY REFERENCES calls (seq) ON DELETE CASCADE,
    request TEXT,
    response TEXT
  );
  CREATE VIRTUAL TABLE calls_fts USING fts5 (request, response, tokenize = 'unicode61');
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings a log file to the current schema, each step in its own transaction. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new Error(`the call log was written by a newer version (schema ${current}; this one knows ${SCHEMA_VERSION})`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      // Another process may have migrated between our read and this transaction.
      if ((db.pragma('user_version', { simple: true }) as number) > v) return;
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return SCHEMA_VERSION;
}

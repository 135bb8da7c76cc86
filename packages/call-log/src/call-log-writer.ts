import type { Database, Statement } from 'better-sqlite3';
import type { CallEvent, CallSink, Logger, SpendEntry } from '@autoarr-llm/core';
import { CALL_COLUMNS, eventRows, type RowContext } from './call-row.js';
import { openCallLog } from './open-call-log.js';

export interface CallLogWriterOptions extends RowContext {
  path: string;
  logger: Logger;
  /** Records waiting to be written; past this, new ones are dropped and counted. */
  queueSize: number;
  /** Records per write transaction. */
  batchSize: number;
  /** How long a record may wait before its batch is written. */
  flushIntervalMs: number;
  /** Flush on process exit, SIGINT and SIGTERM (default true). */
  exitHooks?: boolean;
}

export interface CallLogWriterStats {
  /** Calls written to the file. */
  written: number;
  /** Calls that will not be written (queue full, or the file could not take them). */
  dropped: number;
  /** Calls waiting in the queue. */
  queued: number;
  /** Why the last write failed, if one did. */
  lastError: string | undefined;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * How long a routine flush waits for another process's write lock. It runs on the main thread, so
 * it stays short: a batch that finds the file locked longer is kept and tried again later.
 */
const BUSY_TIMEOUT_MS = 100;
/** How long the last flush (close, exit, signal) waits for the lock. */
const FINAL_BUSY_TIMEOUT_MS = 5_000;

/** SQLite error codes that mean "another process holds the lock": try the batch again later. */
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);

/**
 * The call log's sink: `write` only queues the call's event (no I/O, no row built on the call's
 * path); batches are turned into rows and written in one transaction each, on a timer or as soon
 * as a batch is full. A file that cannot be written (read-only, corrupt, disk full) gives one
 * warning and a dropped count; a file locked by another process is retried. Whatever is queued
 * is written on `flush`, `close`, process exit, SIGINT and SIGTERM. After a SIGKILL at most the
 * records of the last `flushIntervalMs` (at most about one batch) are missing.
 */
export class CallLogWriter implements CallSink {
  readonly name = 'call-log';
  readonly path: string;
  readonly #o: CallLogWriterOptions;
  #db: Database | undefined;
  #insertCall: Statement | undefined;
  #insertAttempt: Statement | undefined;
  #insertSearch: Statement | undefined;
  #insertContent: Statement | undefined;
  #queue: CallEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #written = 0;
  #dropped = 0;
  #warned = false;
  #lastError: string | undefined;
  #closed = false;
  /** The last flush (close, exit, signal): a lock that outlasts it loses the batch. */
  #final = false;
  readonly #onExit = () => this.#finalFlush();
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.#finalFlush();
    if (process.listenerCount(signal) === 0) {
      // Ours was the only handler: do what the signal would have done without it.
      this.#removeHooks();
      process.kill(process.pid, signal);
    } else {
      // The application handles this signal and may go on: write again on the next one.
      process.once(signal, this.#onSignal);
    }
  };

  constructor(options: CallLogWriterOptions) {
    this.#o = options;
    this.path = options.path;
    try {
      this.#open();
    } catch (error) {
      this.#fail(error);
    }
    if (options.exitHooks !== false) {
      process.on('exit', this.#onExit);
      for (const s of SIGNALS) process.once(s, this.#onSignal);
    }
  }

  write(event: CallEvent): void {
    if (this.#closed || this.#db === undefined) {
      this.#dropped++;
      return;
    }
    const queue = this.#queue;
    if (queue.length >= this.#o.queueSize) {
      this.#dropped++;
      this.#warnOnce('call log queue full: records are being dropped');
      return;
    }
    queue.push(event);
    if (queue.length >= this.#o.batchSize) {
      // A full batch is written on the next turn of the event loop, never inside the call.
      this.#immediate ??= setImmediate(() => {
        this.#immediate = undefined;
        this.flushSync();
      });
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flushSync();
      }, this.#o.flushIntervalMs);
      // A pending flush must not keep the process alive; exit hooks write what is left.
      this.#timer.unref();
    }
  }

  flush(): Promise<void> {
    this.flushSync();
    return Promise.resolve();
  }

  /** Writes everything queued now, batch by batch. */
  flushSync(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#queue.length > 0) {
      const db = this.#db;
      if (!db) {
        this.#dropped += this.#queue.length;
        this.#queue = [];
        return;
      }
      const batch = this.#queue.length <= this.#o.batchSize ? this.#queue : this.#queue.slice(0, this.#o.batchSize);
      try {
        this.#writeBatch(db, batch);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== undefined && BUSY.has(code) && !this.#final) {
          // Locked beyond the busy timeout: keep the batch and try again later.
          this.#lastError = String((error as Error).message);
          this.#warnOnce(`call log locked by another process: ${this.#lastError}`);
          this.#retryLater();
          return;
        }
        this.#dropped += batch.length;
        this.#fail(error);
      }
      if (batch === this.#queue) this.#queue = [];
      else this.#queue.splice(0, batch.length);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#finalFlush();
    this.#closed = true;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#removeHooks();
    this.#db?.close();
    this.#db = undefined;
    if (this.#dropped > 0) this.#o.logger.warn({ path: this.path, dropped: this.#dropped }, `call log: ${this.#dropped} call(s) were not recorded`);
  }

  /**
   * The last write before the process or the log goes away: worth waiting for another process's
   * lock longer than a routine flush does (there is no later attempt).
   */
  #finalFlush(): void {
    if (this.#queue.length === 0) return;
    try {
      this.#db?.pragma(`busy_timeout = ${FINAL_BUSY_TIMEOUT_MS}`);
    } catch {
      // A closed or broken handle: flushSync counts what it cannot write.
    }
    this.#final = true;
    try {
      this.flushSync();
    } finally {
      this.#final = false;
      try {
        this.#db?.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      } catch {
        // as above
      }
    }
  }

  /** The cost of every costed call in the file since `since` (budgets are seeded from it at start-up). */
  *spendSince(since: number): IterableIterator<SpendEntry> {
    const db = this.#db;
    if (!db) return;
    const rows = db
      .prepare('SELECT started_at, provider, COALESCE(model, requested_model) AS model, cost FROM calls WHERE started_at >= ? AND cost IS NOT NULL AND cost > 0 AND cached = 0 ORDER BY seq')
      .iterate(since) as IterableIterator<{ started_at: number; provider: string; model: string | null; cost: number }>;
    for (const r of rows) yield { at: r.started_at, provider: r.provider, model: r.model ?? 'unknown', cost: r.cost };
  }

  stats(): CallLogWriterStats {
    return { written: this.#written, dropped: this.#dropped, queued: this.#queue.length, lastError: this.#lastError };
  }

  #open(): void {
    // Opening (and migrating) may wait for another process as long as it takes; writes may not.
    const db = openCallLog(this.path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const columns = CALL_COLUMNS.join(', ');
    this.#insertCall = db.prepare(`INSERT INTO calls (${columns}) VALUES (${CALL_COLUMNS.map(() => '?').join(', ')})`);
    this.#insertAttempt = db.prepare(
      'INSERT INTO attempts (call_seq, n, provider, plugin_package, plugin_version, attempt, outcome, error_code, started_at, duration_ms, wait_ms, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertSearch = db.prepare('INSERT INTO calls_fts (rowid, request, response) VALUES (?, ?, ?)');
    this.#insertContent = db.prepare('INSERT INTO call_content (call_seq, request, response) VALUES (?, ?, ?)');
    this.#db = db;
  }

  #writeBatch(db: Database, batch: readonly CallEvent[]): void {
    const insertCall = this.#insertCall!;
    const insertAttempt = this.#insertAttempt!;
    const insertSearch = this.#insertSearch!;
    const insertContent = this.#insertContent!;
    const ctx = this.#o;
    // IMMEDIATE: take the write lock up front, so a second process waits (busy_timeout) instead
    // of failing half-way through the batch.
    db.transaction(() => {
      for (const event of batch) {
        const rows = eventRows(event, ctx);
        const seq = insertCall.run(rows.call).lastInsertRowid;
        for (const attempt of rows.attempts) insertAttempt.run(seq, ...attempt);
        if (rows.request !== null || rows.response !== null) insertContent.run(seq, rows.request, rows.response);
        if (rows.searchRequest !== undefined || rows.searchResponse !== undefined) insertSearch.run(seq, rows.searchRequest ?? '', rows.searchResponse ?? '');
      }
    }).immediate();
    this.#written += batch.length;
  }

  #retryLater(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flushSync();
    }, this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  /** The file cannot take records (read-only, corrupt, full): one warning, then count what is lost. */
  #fail(error: unknown): void {
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.#warnOnce(`call log ${this.path} cannot be written, calls go unrecorded: ${this.#lastError}`);
  }

  #warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#o.logger.warn({ path: this.path }, message);
  }

  #removeHooks(): void {
    process.off('exit', this.#onExit);
    for (const s of SIGNALS) process.off(s, this.#onSignal);
  }
}

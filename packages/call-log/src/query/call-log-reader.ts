import type { Database } from 'better-sqlite3';
import { openCallLog } from '../open-call-log.js';
import { CallFilterSchema, whereClause, type CallFilter } from './call-filter.js';
import { percentile } from './percentile.js';

/** A call as lists show it. */
export interface CallSummary {
  id: string;
  startedAt: number;
  provider: string;
  pluginPackage: string | null;
  pluginVersion: string | null;
  model: string | null;
  requestedModel: string | null;
  outcome: 'success' | 'error';
  errorCode: string | null;
  attempts: number;
  retries: number;
  waitMs: number;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  usageSource: string | null;
  cost: number | null;
  currency: string | null;
  durationMs: number;
  firstChunkMs: number | null;
  streamed: boolean;
  cached: boolean;
  coalesced: boolean;
  tags: Record<string, string> | null;
  contentPolicy: string;
}

export interface AttemptDetail {
  provider: string;
  pluginPackage: string | null;
  pluginVersion: string | null;
  attempt: number;
  outcome: string;
  errorCode: string | null;
  startedAt: number | null;
  durationMs: number;
  waitMs: number | null;
  note: string | null;
}

/** A call with everything the log holds of it. */
export interface CallDetail extends CallSummary {
  appRoot: string | null;
  chain: string[];
  errorMessage: string | null;
  request: unknown;
  response: unknown;
  route: unknown;
  extra: unknown;
  attemptList: AttemptDetail[];
}

export type StatsPeriod = 'hour' | 'day' | 'week' | 'month';

/** Figures per provider and model (and period, when asked). */
export interface CallStats {
  provider: string;
  model: string | null;
  /** Start of the period (epoch ms), when grouped by period. */
  period: number | undefined;
  calls: number;
  errors: number;
  errorRate: number;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
  firstChunkP50Ms: number | undefined;
  firstChunkP95Ms: number | undefined;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

const PERIOD_MS: Record<Exclude<StatsPeriod, 'month'>, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

const SUMMARY_COLUMNS =
  'c.seq, c.id, c.started_at, c.provider, c.plugin_package, c.plugin_version, c.model, c.requested_model, c.outcome, c.error_code, c.attempts, c.retries, c.wait_ms, c.finish_reason, c.input_tokens, c.output_tokens, c.usage_source, c.cost, c.currency, c.duration_ms, c.first_chunk_ms, c.streamed, c.cached, c.coalesced, c.tags, c.content_policy';

/**
 * Queries over a call log: what `autoarr-llm logs` prints, and what routing and quality read.
 * Read-only: it never migrates or writes, except `prune`.
 */
export class CallLogReader {
  readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Opens a log file for queries (it must exist). */
  static open(path: string, options: { write?: boolean } = {}): CallLogReader {
    return new CallLogReader(openCallLog(path, { readonly: !options.write }));
  }

  close(): void {
    this.db.close();
  }

  /** How many calls match. */
  count(filter: CallFilter = {}): number {
    const where = whereClause(CallFilterSchema.parse(filter));
    return (this.db.prepare(`SELECT count(*) AS n FROM calls c ${where.sql}`).get(...where.params) as { n: number }).n;
  }

  /** The most recent calls matching, newest first. */
  list(filter: CallFilter = {}, limit = 20): CallSummary[] {
    const where = whereClause(CallFilterSchema.parse(filter));
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM calls c ${where.sql} ORDER BY c.started_at DESC, c.seq DESC LIMIT ?`).all(...where.params, limit) as Record<string, unknown>[];
    return rows.map(toSummary);
  }

  /**
   * One call by id, or by a unique end of it (ids start with their time, so the end is what tells
   * calls apart: lists print the last 12 characters), with its attempts and content.
   */
  get(id: string): CallDetail | undefined {
    const part = id.replaceAll('%', '').replaceAll('_', '');
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS}, c.app_root, c.chain, c.error_message, cc.request, cc.response, c.route, c.extra FROM calls c LEFT JOIN call_content cc ON cc.call_seq = c.seq WHERE c.id = ? OR c.id LIKE ? LIMIT 2`)
      .all(id, `%${part}`) as Record<string, unknown>[];
    const row = rows.find((r) => r['id'] === id) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!row) return undefined;
    const attempts = this.db.prepare('SELECT * FROM attempts WHERE call_seq = ? ORDER BY n').all(row['seq']) as Record<string, unknown>[];
    return {
      ...toSummary(row),
      appRoot: row['app_root'] as string | null,
      chain: parseJson(row['chain']) as string[] ?? [],
      errorMessage: row['error_message'] as string | null,
      request: parseJson(row['request']),
      response: parseJson(row['response']),
      route: parseJson(row['route']),
      extra: parseJson(row['extra']),
      attemptList: attempts.map((a) => ({
        provider: a['provider'] as string,
        pluginPackage: a['plugin_package'] as string | null,
        pluginVersion: a['plugin_version'] as string | null,
        attempt: a['attempt'] as number,
        outcome: a['outcome'] as string,
        errorCode: a['error_code'] as string | null,
        startedAt: a['started_at'] as number | null,
        durationMs: a['duration_ms'] as number,
        waitMs: a['wait_ms'] as number | null,
        note: a['note'] as string | null,
      })),
    };
  }

  /**
   * Calls, error rate, p50/p95 latency and first-chunk time, tokens and cost per provider and
   * model (and per period when `by` is given), over the calls the filter selects.
   */
  stats(filter: CallFilter = {}, by?: StatsPeriod): CallStats[] {
    const where = whereClause(CallFilterSchema.parse(filter));
    const period = by === undefined ? 'NULL' : periodSql(by);
    const order = `ORDER BY c.provider, c.model, ${period}`;
    // A period only grows with started_at: this order is the groups' order, and the index's.
    const valueOrder = 'ORDER BY c.provider, c.model, c.started_at';
    // Counts and sums in SQL; then each figure's values as one flat list in the same group order
    // (no row objects: 100,000 numbers, split by the groups' counts) for the percentiles.
    const groups = this.db
      .prepare(
        `SELECT c.provider, c.model, ${period} AS period, count(*), sum(c.outcome = 'error'), count(c.first_chunk_ms), total(c.input_tokens), total(c.output_tokens), total(c.cost)
         FROM calls c ${where.sql} GROUP BY c.provider, c.model, ${period} ${order}`,
      )
      .raw()
      .all(...where.params) as Array<[string, string | null, number | null, number, number, number, number, number, number]>;
    const latency = Float64Array.from(this.db.prepare(`SELECT c.duration_ms FROM calls c ${where.sql} ${valueOrder}`).pluck().all(...where.params) as number[]);
    const firstWhere = where.sql ? `${where.sql} AND c.first_chunk_ms IS NOT NULL` : 'WHERE c.first_chunk_ms IS NOT NULL';
    const first = Float64Array.from(this.db.prepare(`SELECT c.first_chunk_ms FROM calls c ${firstWhere} ${valueOrder}`).pluck().all(...where.params) as number[]);
    const out: CallStats[] = [];
    let li = 0;
    let fi = 0;
    for (const [provider, model, p, calls, errors, firstCount, inputTokens, outputTokens, cost] of groups) {
      const l = latency.subarray(li, li + calls).sort();
      const f = first.subarray(fi, fi + firstCount).sort();
      li += calls;
      fi += firstCount;
      out.push({
        provider,
        model,
        period: p ?? undefined,
        calls,
        errors,
        errorRate: calls === 0 ? 0 : errors / calls,
        latencyP50Ms: percentile(l, 0.5),
        latencyP95Ms: percentile(l, 0.95),
        firstChunkP50Ms: percentile(f, 0.5),
        firstChunkP95Ms: percentile(f, 0.95),
        inputTokens,
        outputTokens,
        cost,
      });
    }
    return out.sort((a, b) => (a.period ?? 0) - (b.period ?? 0) || a.provider.localeCompare(b.provider) || (a.model ?? '').localeCompare(b.model ?? ''));
  }

  /** Deletes calls started before `before` (epoch ms); returns how many. */
  prune(before: number): number {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM calls_fts WHERE rowid IN (SELECT seq FROM calls WHERE started_at < ?)').run(before);
      this.db.prepare('DELETE FROM call_content WHERE call_seq IN (SELECT seq FROM calls WHERE started_at < ?)').run(before);
      return this.db.prepare('DELETE FROM calls WHERE started_at < ?').run(before).changes;
    }).immediate();
  }

  /** Calls in start order with their usage, for rebuilding a ledger after a restart. */
  *usage(filter: CallFilter = {}): IterableIterator<{ provider: string; model: string; inputTokens: number; outputTokens: number; usageSource: 'reported' | 'estimated'; streamed: boolean; cached: boolean }> {
    const where = whereClause(CallFilterSchema.parse(filter));
    const extra = where.sql ? `${where.sql} AND c.input_tokens IS NOT NULL` : 'WHERE c.input_tokens IS NOT NULL';
    const rows = this.db.prepare(`SELECT c.provider, c.model, c.requested_model, c.input_tokens, c.output_tokens, c.usage_source, c.streamed, c.cached FROM calls c ${extra} ORDER BY c.seq`).iterate(...where.params) as IterableIterator<Record<string, unknown>>;
    for (const r of rows) {
      yield {
        provider: r['provider'] as string,
        model: (r['model'] ?? r['requested_model'] ?? 'unknown') as string,
        inputTokens: r['input_tokens'] as number,
        outputTokens: (r['output_tokens'] ?? 0) as number,
        usageSource: r['usage_source'] === 'estimated' ? 'estimated' : 'reported',
        streamed: r['streamed'] === 1,
        cached: r['cached'] === 1,
      };
    }
  }
}

/** The SQL for the start of a call's period (epoch ms); weeks start on Monday (the epoch was a Thursday). */
function periodSql(by: StatsPeriod): string {
  if (by === 'month') return "CAST(strftime('%s', c.started_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000";
  const size = PERIOD_MS[by];
  const offset = by === 'week' ? 3 * 86_400_000 : 0;
  return `((c.started_at + ${offset}) / ${size}) * ${size} - ${offset}`;
}

function toSummary(r: Record<string, unknown>): CallSummary {
  return {
    id: r['id'] as string,
    startedAt: r['started_at'] as number,
    provider: r['provider'] as string,
    pluginPackage: r['plugin_package'] as string | null,
    pluginVersion: r['plugin_version'] as string | null,
    model: r['model'] as string | null,
    requestedModel: r['requested_model'] as string | null,
    outcome: r['outcome'] as 'success' | 'error',
    errorCode: r['error_code'] as string | null,
    attempts: r['attempts'] as number,
    retries: r['retries'] as number,
    waitMs: r['wait_ms'] as number,
    finishReason: r['finish_reason'] as string | null,
    inputTokens: r['input_tokens'] as number | null,
    outputTokens: r['output_tokens'] as number | null,
    usageSource: r['usage_source'] as string | null,
    cost: r['cost'] as number | null,
    currency: r['currency'] as string | null,
    durationMs: r['duration_ms'] as number,
    firstChunkMs: r['first_chunk_ms'] as number | null,
    streamed: r['streamed'] === 1,
    cached: r['cached'] === 1,
    coalesced: r['coalesced'] === 1,
    tags: parseJson(r['tags']) as Record<string, string> | null,
    contentPolicy: r['content_policy'] as string,
  };
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : null;
}

import { z } from 'zod';

/** Which calls a query covers. Every field optional; all given fields must match. */
export const CallFilterSchema = z
  .object({
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    outcome: z.enum(['success', 'error']).optional(),
    /** `key=value` pairs the call's tags must all hold. */
    tags: z.record(z.string(), z.string()).optional(),
    /** Epoch ms, inclusive. */
    since: z.number().optional(),
    /** Epoch ms, exclusive. */
    until: z.number().optional(),
    /** Full-text search over prompts and answers (FTS5 query syntax). */
    query: z.string().min(1).optional(),
  })
  .strict();
export type CallFilter = z.infer<typeof CallFilterSchema>;

/** The WHERE clause of a filter over `calls` (aliased `c`), with its parameters. */
export function whereClause(filter: CallFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.provider) {
    parts.push('c.provider = ?');
    params.push(filter.provider);
  }
  if (filter.model) {
    parts.push('(c.model = ? OR c.requested_model = ?)');
    params.push(filter.model, filter.model);
  }
  if (filter.outcome) {
    parts.push('c.outcome = ?');
    params.push(filter.outcome);
  }
  if (filter.since !== undefined) {
    parts.push('c.started_at >= ?');
    params.push(Math.floor(filter.since));
  }
  if (filter.until !== undefined) {
    parts.push('c.started_at < ?');
    params.push(Math.floor(filter.until));
  }
  for (const [key, value] of Object.entries(filter.tags ?? {})) {
    parts.push('json_extract(c.tags, ?) = ?');
    params.push(`$."${key.replaceAll('"', '""')}"`, value);
  }
  if (filter.query) {
    parts.push('c.seq IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH ?)');
    params.push(filter.query);
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

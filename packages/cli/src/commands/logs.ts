import { existsSync } from 'node:fs';
import type { CallDetail, CallFilter, CallStats, CallSummary, StatsPeriod } from '@autoarr-llm/call-log';
import { loadConfig } from '@autoarr-llm/core';
import { resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import type { GlobalFlags } from '../open-factory.js';
import { parseNumberFlag } from '../parse-number-flag.js';
import { parseTimeFlag } from '../parse-time-flag.js';

export interface LogsFlags extends GlobalFlags {
  n?: string | undefined;
  query?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  outcome?: string | undefined;
  tag?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  by?: string | undefined;
  before?: string | undefined;
}

const PERIODS = ['hour', 'day', 'week', 'month'];

/** `autoarr-llm logs [show <id> | stats | path | prune --before <when>]`: the call log, read back. */
export async function logs(io: CliIO, flags: LogsFlags, args: readonly string[]): Promise<number> {
  const [sub = 'list', ...rest] = args;
  const cwd = resolve(io.cwd, flags.cwd ?? '.');
  // A path typed on the command line is relative to the shell's folder (as for every command).
  const config = await loadConfig({ cwd, env: io.env, ...(flags.config ? { configFile: resolve(io.cwd, flags.config) } : {}) });
  // Loaded here, not at start-up: no other command pays for SQLite.
  const { CallLogReader, resolveLogPath } = await import('@autoarr-llm/call-log');
  const path = resolveLogPath(config);
  if (sub === 'path') {
    io.out(flags.json ? `${JSON.stringify({ path, exists: existsSync(path), enabled: config.values.log.enabled })}\n` : `${path}\n`);
    return EXIT.OK;
  }
  if (!['list', 'show', 'stats', 'prune'].includes(sub)) throw CliError.usage('logs: unknown subcommand (expected show, stats, path or prune)');
  if (sub !== 'show' && rest.length > 0) throw CliError.usage(`logs ${sub}: takes no further argument`);
  if (!existsSync(path)) {
    if (flags.json) io.out(`${JSON.stringify(sub === 'show' ? null : sub === 'prune' ? { deleted: 0 } : [])}\n`);
    else io.err(`No call log at ${path} yet (calls are logged when @autoarr-llm/call-log is installed in the app).\n`);
    return sub === 'show' ? EXIT.USAGE : EXIT.OK;
  }
  const reader = CallLogReader.open(path, { write: sub === 'prune' });
  try {
    switch (sub) {
      case 'show': {
        const id = rest[0];
        if (!id) throw CliError.usage('logs show needs a call id: autoarr-llm logs show <id>');
        const call = reader.get(id);
        if (!call) throw new CliError('NOT_FOUND', `No call with id ${id} in ${path}`, { exitCode: EXIT.USAGE });
        io.out(flags.json ? `${JSON.stringify(call, null, 2)}\n` : formatDetail(call));
        return EXIT.OK;
      }
      case 'stats': {
        if (flags.by !== undefined && !PERIODS.includes(flags.by)) throw CliError.usage(`--by: expected one of ${PERIODS.join(', ')}`);
        const stats = reader.stats(filterOf(flags), flags.by as StatsPeriod | undefined);
        io.out(flags.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats, flags.by !== undefined));
        return EXIT.OK;
      }
      case 'prune': {
        const before = parseTimeFlag('before', flags.before);
        if (before === undefined) throw CliError.usage('logs prune needs --before <when> (a date, or a duration ago such as 30d)');
        const deleted = reader.prune(before);
        io.out(flags.json ? `${JSON.stringify({ deleted })}\n` : `Deleted ${deleted} call(s) started before ${new Date(before).toISOString()}.\n`);
        return EXIT.OK;
      }
      default: {
        const limit = parseNumberFlag('n', flags.n, 'positive-integer') ?? 20;
        const calls = reader.list(filterOf(flags), limit);
        io.out(flags.json ? `${JSON.stringify(calls, null, 2)}\n` : formatList(calls));
        return EXIT.OK;
      }
    }
  } finally {
    reader.close();
  }
}

function filterOf(flags: LogsFlags): CallFilter {
  if (flags.outcome !== undefined && flags.outcome !== 'success' && flags.outcome !== 'error') throw CliError.usage('--outcome: expected success or error');
  const tags: Record<string, string> = {};
  for (const t of flags.tag ?? []) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw CliError.usage(`--tag: expected key=value, got "${t}"`);
    tags[t.slice(0, eq)] = t.slice(eq + 1);
  }
  const filter: CallFilter = {};
  if (flags.provider) filter.provider = flags.provider;
  if (flags.model) filter.model = flags.model;
  if (flags.outcome) filter.outcome = flags.outcome as 'success' | 'error';
  if (Object.keys(tags).length > 0) filter.tags = tags;
  const since = parseTimeFlag('since', flags.since);
  const until = parseTimeFlag('until', flags.until);
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  if (flags.query) filter.query = flags.query;
  return filter;
}

function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${Math.round(v)}ms`;
}

function formatList(calls: CallSummary[]): string {
  if (calls.length === 0) return 'No calls.\n';
  return `${calls
    .map((c) => {
      const flags = [c.streamed ? 'stream' : '', c.cached ? 'cached' : '', c.coalesced ? 'coalesced' : ''].filter(Boolean).join(',');
      const tokens = c.inputTokens === null ? '' : ` ${c.inputTokens}→${c.outputTokens ?? 0} tok${c.usageSource === 'estimated' ? '~' : ''}`;
      return `${new Date(c.startedAt).toISOString()}  ${c.id.slice(-12)}  ${c.provider}/${c.model ?? c.requestedModel ?? '?'}  ${c.outcome === 'success' ? 'ok' : c.errorCode ?? 'error'}  ${ms(c.durationMs)}${tokens}${flags ? ` [${flags}]` : ''}`;
    })
    .join('\n')}\n`;
}

function formatDetail(c: CallDetail): string {
  const lines = [
    `id:         ${c.id}`,
    `started:    ${new Date(c.startedAt).toISOString()}`,
    `provider:   ${c.provider} (${c.pluginPackage ?? '?'}${c.pluginVersion ? `@${c.pluginVersion}` : ''})  chain: ${c.chain.join(' → ')}`,
    `model:      ${c.model ?? '-'}${c.requestedModel && c.requestedModel !== c.model ? ` (asked: ${c.requestedModel})` : ''}`,
    `outcome:    ${c.outcome}${c.errorCode ? ` ${c.errorCode}: ${c.errorMessage ?? ''}` : ''}`,
    `duration:   ${ms(c.durationMs)}  first chunk: ${ms(c.firstChunkMs)}  retries: ${c.retries}  waited: ${ms(c.waitMs)}`,
    `usage:      ${c.inputTokens ?? '-'} in, ${c.outputTokens ?? '-'} out (${c.usageSource ?? '-'})  cost: ${c.cost ?? '-'} ${c.currency ?? ''}`,
    `flags:      streamed=${c.streamed} cached=${c.cached} coalesced=${c.coalesced} finish=${c.finishReason ?? '-'}`,
    `tags:       ${c.tags ? Object.entries(c.tags).map(([k, v]) => `${k}=${v}`).join(' ') : '-'}`,
    'attempts:',
    ...c.attemptList.map((a) => `  ${a.provider}#${a.attempt} ${a.outcome}${a.errorCode ? ` ${a.errorCode}` : ''} ${ms(a.durationMs)}${a.waitMs ? ` then waited ${ms(a.waitMs)}` : ''}${a.note ? ` (${a.note})` : ''}`),
    `content (${c.contentPolicy}):`,
    c.request ? `  request:  ${JSON.stringify(c.request)}` : '  request:  -',
    c.response ? `  response: ${JSON.stringify(c.response)}` : '  response: -',
  ];
  return `${lines.join('\n')}\n`;
}

function formatStats(stats: CallStats[], byPeriod: boolean): string {
  if (stats.length === 0) return 'No calls.\n';
  const header = [...(byPeriod ? ['period'] : []), 'provider/model', 'calls', 'errors', 'p50', 'p95', 'first p50', 'first p95', 'tokens in', 'tokens out', 'cost'];
  const rows = stats.map((s) => [
    ...(byPeriod ? [new Date(s.period ?? 0).toISOString().slice(0, 16)] : []),
    `${s.provider}/${s.model ?? '?'}`,
    String(s.calls),
    `${(s.errorRate * 100).toFixed(1)}%`,
    ms(s.latencyP50Ms),
    ms(s.latencyP95Ms),
    ms(s.firstChunkP50Ms),
    ms(s.firstChunkP95Ms),
    String(s.inputTokens),
    String(s.outputTokens),
    s.cost.toFixed(4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return `${[header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n')}\n`;
}

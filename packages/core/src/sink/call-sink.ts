import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';
import type { SpendEntry } from '../budget/budget-guard.js';
import type { CallEvent } from '../pipeline/call-event.js';

/** The plugin package that serves a provider, as the call log records it. */
export interface PluginIdentity {
  package: string;
  version: string | undefined;
}

/**
 * Where call events go besides `onCall` listeners: the call log, telemetry, quality checks. Core
 * knows sinks only by this interface (no storage in core, so a provider-only process stays light).
 *
 * `write` runs on the call's path, right after the call settled: it must only enqueue (no I/O, no
 * await) and must never throw. The sink persists on its own schedule; `flush` writes what is
 * queued, `close` flushes and releases the sink.
 */
export interface CallSink {
  readonly name: string;
  write(event: CallEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /**
   * The cost of every call recorded since `since` (ms since the epoch), for a sink that persists
   * calls: budgets kept in memory are seeded from it at start-up, so spend survives a restart.
   */
  spendSince?(since: number): Iterable<SpendEntry>;
}

/** What a sink is created with. */
export interface CallSinkContext {
  config: ResolvedConfig;
  logger: Logger;
  /** The plugin package and version behind a provider name. */
  pluginOf(provider: string): PluginIdentity | undefined;
}

/** What a sink package (e.g. `@autoarr-llm/call-log`) exports for the factory to attach it. */
export interface CallSinkModule {
  createCallSink(context: CallSinkContext): CallSink | undefined | Promise<CallSink | undefined>;
}

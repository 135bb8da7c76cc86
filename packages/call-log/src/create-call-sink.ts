import type { CallSinkContext } from '@autoarr-llm/core';
import { CallLogWriter } from './call-log-writer.js';
import { resolveLogPath } from './resolve-log-path.js';

/**
 * What the factory calls to attach the call log (see `CallSinkModule` in core): a writer on the
 * configured file. A file that cannot be opened still gives a writer, which warns once and counts
 * the calls it cannot record; calls never fail because of the log.
 */
export function createCallSink(context: CallSinkContext): CallLogWriter | undefined {
  const log = context.config.values.log;
  if (!log.enabled) return undefined;
  return new CallLogWriter({
    path: resolveLogPath(context.config),
    logger: context.logger,
    appRoot: context.config.appRoot,
    defaultContent: log.content,
    pluginOf: context.pluginOf,
    queueSize: log.queueSize,
    batchSize: log.batchSize,
    flushIntervalMs: log.flushIntervalMs,
  });
}

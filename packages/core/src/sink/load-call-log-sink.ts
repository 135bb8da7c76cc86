import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPackageDir } from '../discovery/find-package-dir.js';
import type { CallSink, CallSinkContext, CallSinkModule } from './call-sink.js';

/** The package that provides the call log. */
export const CALL_LOG_PACKAGE = '@autoarr-llm/call-log';

/**
 * The call log, when the application has it installed and `log.enabled` is on. Resolved from the
 * app (like plugins), imported only here: an app without it never loads SQLite. A call log that
 * cannot be opened is reported once and left out; it never stops the provider from being created.
 */
export async function loadCallLogSink(context: CallSinkContext): Promise<CallSink | undefined> {
  if (!context.config.values.log.enabled) return undefined;
  const dir = findPackageDir(context.config.appRoot, CALL_LOG_PACKAGE);
  if (!dir) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: { '.'?: { import?: string } }; main?: string };
    const entry = pkg.exports?.['.']?.import ?? pkg.main ?? './dist/index.js';
    const mod = (await import(pathToFileURL(join(dir, entry)).href)) as Partial<CallSinkModule>;
    if (typeof mod.createCallSink !== 'function') {
      context.logger.warn({ package: CALL_LOG_PACKAGE }, 'call log not attached: the package exports no createCallSink');
      return undefined;
    }
    return await mod.createCallSink(context);
  } catch (error) {
    context.logger.warn({ package: CALL_LOG_PACKAGE, error: error instanceof Error ? error.message : String(error) }, 'call log not attached');
    return undefined;
  }
}

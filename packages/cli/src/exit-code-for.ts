import { LLMError, NoProviderAvailableError } from '@autoarr-llm/core';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

/** Codes that mean a provider could not be reached or set up, as opposed to one that refused the request. */
const UNREACHABLE = new Set(['PROVIDER_UNAVAILABLE', 'PLUGIN_LOAD_FAILED', 'PLUGIN_TIMEOUT', 'LICENSE_INVALID']);

/**
 * Maps an error to the documented exit code, by its stable code (never its message). A chain
 * that ran out after a reachable provider refused the call (auth, quota, model not found) is 5,
 * not 4: the fix is that provider's request or account, not its reachability.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (!LLMError.isInstance(error)) return EXIT.ERROR;
  switch (error.code) {
    case 'CONFIG_INVALID':
      return EXIT.CONFIG;
    case 'NO_PROVIDER_AVAILABLE':
      return NoProviderAvailableError.isInstance(error) && error.attempts.some((a) => a.code !== undefined && !UNREACHABLE.has(a.code)) ? EXIT.PROVIDER : EXIT.NO_PROVIDER;
    case 'PLUGIN_LOAD_FAILED':
    // A plugin that does not answer (its import, create(), a check) is as good as unreachable.
    case 'PLUGIN_TIMEOUT':
    // No routing candidate has what the request needs: none could serve it.
    case 'NO_CAPABLE_MODEL':
    // One provider asked for by name (models, pull) that cannot be reached is the same situation.
    case 'PROVIDER_UNAVAILABLE':
      return EXIT.NO_PROVIDER;
    case 'ABORTED':
      return EXIT.INTERRUPTED;
    default:
      return EXIT.PROVIDER;
  }
}

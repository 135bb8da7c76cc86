import { LLMError } from '@autoarr-llm/core';
import { EXIT } from './exit-codes.js';

/** Maps an error to the documented exit code. */
export function exitCodeFor(error: unknown): number {
  if (!LLMError.isInstance(error)) return EXIT.ERROR;
  if (error.code === 'CONFIG_INVALID') return EXIT.CONFIG;
  if (error.code === 'NO_PROVIDER_AVAILABLE') return EXIT.NO_PROVIDER;
  if (error.code === 'PLUGIN_LOAD_FAILED') return EXIT.NO_PROVIDER;
  return EXIT.PROVIDER;
}

import { ContextLengthError, LLMError, ProviderError, ProviderUnavailableError } from '@autoarr-llm/core';

/** node-llama-cpp's failures as typed errors (by class name: the library may be a second copy). */
export function mapLlamaError(error: unknown): unknown {
  if (LLMError.isInstance(error) || !(error instanceof Error)) return error;
  const name = error.constructor?.name ?? error.name;
  if (name === 'NoBinaryFoundError') {
    return new ProviderUnavailableError('custom: no prebuilt llama.cpp binary can be loaded on this machine for the configured device', { provider: 'custom', cause: error });
  }
  if (name === 'InsufficientMemoryError') {
    return new ProviderUnavailableError(`custom: not enough memory for the model: ${error.message}`, { provider: 'custom', cause: error, retryable: false });
  }
  if (name === 'DisposedError') {
    return new ProviderUnavailableError('custom: the model was unloaded (the provider is being disposed)', { provider: 'custom', cause: error, retryable: true });
  }
  if (/context size|too long|exceeds the context/i.test(error.message)) {
    return new ContextLengthError(`custom: ${error.message}`, { provider: 'custom', cause: error });
  }
  return new ProviderError(`custom: ${error.message}`, { provider: 'custom', cause: error });
}

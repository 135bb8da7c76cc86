import { LLMError, type HealthReport, type ProviderFactory } from '@autoarr-llm/core';

export interface ProviderState {
  provider: string;
  /** `unusable`: the provider could not even be created (plugin missing or broken, invalid settings). */
  status: HealthReport['status'] | 'unusable';
  reason: string | undefined;
  latencyMs: number | undefined;
  model: HealthReport['model'] | undefined;
  /** The error's code when the provider is unusable or its health check failed. */
  code: string | undefined;
  /** The error itself when the provider is unusable (left out of `--json` output: see `stateForJson`). */
  error?: unknown;
}

/** A state as printed by `--json`: the error is already summed up by `reason` and `code`. */
export function stateForJson({ error: _error, ...state }: ProviderState): Omit<ProviderState, 'error'> {
  return state;
}

/** Whether the factory would pick this provider: `isAvailable()` is true for `ok` and `degraded`. */
export function isUsable(state: ProviderState): boolean {
  return state.status === 'ok' || state.status === 'degraded';
}

/** Creates each provider of `names` on its own and asks for its health; never throws. */
export async function providerStates(factory: ProviderFactory, names: readonly string[]): Promise<ProviderState[]> {
  return Promise.all(
    names.map(async (name): Promise<ProviderState> => {
      try {
        const provider = await factory.createSingle(name);
        try {
          const h = await provider.healthCheck();
          const code = typeof h.details?.['code'] === 'string' ? h.details['code'] : undefined;
          return { provider: name, status: h.status, reason: h.reason, latencyMs: h.latencyMs, model: h.model, code };
        } finally {
          await provider.dispose();
        }
      } catch (error) {
        return {
          provider: name,
          status: 'unusable',
          reason: error instanceof Error ? error.message : String(error),
          latencyMs: undefined,
          model: undefined,
          code: LLMError.isInstance(error) ? error.code : undefined,
          error,
        };
      }
    }),
  );
}

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
  /**
   * A local model that is installed but not in memory: loading now, or loaded by the next call,
   * which then waits for the load (the health status stays `ok`: the provider is usable).
   */
  cold: boolean;
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

/** What `doctor` and `providers` print as the state: `cold` for a usable provider whose model must load first. */
export function stateLabel(state: ProviderState): string {
  return state.cold && isUsable(state) ? 'cold' : state.status;
}

/** A report says cold through `details.cold`, or through an installed model that is not loaded. */
function isCold(report: HealthReport): boolean {
  if (report.status === 'down') return false;
  return report.details?.['cold'] === true || (report.model?.present === true && report.model.loaded === false);
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
          return { provider: name, status: h.status, reason: h.reason, latencyMs: h.latencyMs, model: h.model, code, cold: isCold(h) };
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
          cold: false,
          error,
        };
      }
    }),
  );
}

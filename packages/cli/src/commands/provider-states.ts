import { LLMError, type HealthReport, type ProviderFactory } from '@autoarr-llm/core';

export interface ProviderState {
  provider: string;
  status: HealthReport['status'] | 'not-created';
  reason: string | undefined;
  latencyMs: number | undefined;
  model: HealthReport['model'] | undefined;
  code: string | undefined;
}

/** Creates each provider of `names` on its own and asks for its health; never throws. */
export async function providerStates(factory: ProviderFactory, names: readonly string[]): Promise<ProviderState[]> {
  return Promise.all(
    names.map(async (name): Promise<ProviderState> => {
      try {
        const provider = await factory.createSingle(name);
        try {
          const h = await provider.healthCheck();
          return { provider: name, status: h.status, reason: h.reason, latencyMs: h.latencyMs, model: h.model, code: undefined };
        } finally {
          await provider.dispose();
        }
      } catch (error) {
        return {
          provider: name,
          status: 'not-created',
          reason: error instanceof Error ? error.message : String(error),
          latencyMs: undefined,
          model: undefined,
          code: LLMError.isInstance(error) ? error.code : undefined,
        };
      }
    }),
  );
}

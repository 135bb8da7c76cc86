/** The model-download surface some providers have beyond the contract (OllamaProvider's, for one). */
export interface ModelPuller {
  pullModel(model: string, options: { onProgress?: (progress: unknown) => void; signal?: AbortSignal }): Promise<unknown>;
}

/**
 * Duck-typed on purpose: the provider may come from another copy of its package (or another
 * plugin altogether), so neither `instanceof` nor an import of its class would be reliable.
 */
export function canPullModels(provider: unknown): provider is ModelPuller {
  return typeof provider === 'object' && provider !== null && typeof (provider as Record<string, unknown>)['pullModel'] === 'function';
}

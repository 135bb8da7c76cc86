import { BaseLLMProvider, makeUsage, type HealthReport, type LLMResponse, type ModelInfo, type StreamEvent } from '@autoarr-llm/core';

/**
 * An in-process provider that keeps nothing per call (MockProvider records every call), so memory
 * and overhead measurements show the pipeline alone.
 */
export class LeanProvider extends BaseLLMProvider {
  readonly name: string;
  constructor(name = 'lean') {
    super();
    this.name = name;
  }
  protected async doComplete(): Promise<LLMResponse> {
    return { content: 'ok', model: 'lean-1', provider: this.name, usage: makeUsage(3, 1), finishReason: 'stop' };
  }
  protected async *doStream(): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    for (let i = 0; i < 20; i++) yield { type: 'text', text: 'tok ' };
    return { content: '', model: 'lean-1', provider: this.name, usage: makeUsage(3, 20), finishReason: 'stop' };
  }
  protected async doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>> {
    return { status: 'ok', reachable: true };
  }
  async getModels(): Promise<ModelInfo[]> {
    return [];
  }
}

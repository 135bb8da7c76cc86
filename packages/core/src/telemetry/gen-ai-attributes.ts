import type { Attributes } from '@opentelemetry/api';
import type { CallEvent } from '../pipeline/call-event.js';

/** `gen_ai.operation.name`: every call of the contract is a chat completion. */
export const GEN_AI_OPERATION = 'chat';

/**
 * The GenAI semantic-convention attributes of a call (shared by its span and its metrics).
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
export function genAiAttributes(event: CallEvent): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': GEN_AI_OPERATION,
    'gen_ai.provider.name': event.provider,
  };
  const requested = event.options.model ?? event.model;
  if (requested) attributes['gen_ai.request.model'] = requested;
  if (event.model) attributes['gen_ai.response.model'] = event.model;
  if (event.outcome === 'error') attributes['error.type'] = event.errorCode ?? errorName(event.error);
  return attributes;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}

import { CallOptionsSchema, type CallOptions, type ResolvedCallOptions } from '../contract/call-options.js';
import { LLMMessagesSchema, type LLMMessage } from '../contract/message.js';
import { InvalidRequestError } from '../errors/invalid-request-error.js';

// Calls that already passed validation higher up the stack (the pipeline validates once for every
// layer below it): parsing them again would only cost time. The options object carries, under a
// symbol only core can name, the messages array it was validated with (a property costs a fraction
// of a WeakSet entry, and the pair must match: other messages with these options are parsed).
export const VALIDATED_WITH: unique symbol = Symbol('autoarr-llm.validatedWith');

interface Branded {
  [VALIDATED_WITH]?: readonly LLMMessage[] | undefined;
}

/** Marks options as validated together with `messages`, so providers below skip re-parsing them. */
export function markValidated(messages: LLMMessage[], options: object): void {
  (options as Branded)[VALIDATED_WITH] = messages;
}

export function isValidated(messages: unknown, options: object): boolean {
  return (options as Branded)[VALIDATED_WITH] === messages;
}

/** Validates messages and call options at the boundary; a bad field gives a typed error naming it. */
export function validateCall(
  provider: string,
  messages: unknown,
  options: CallOptions | undefined,
): { messages: LLMMessage[]; options: ResolvedCallOptions } {
  if (options && isValidated(messages, options)) {
    return { messages: messages as LLMMessage[], options: options as ResolvedCallOptions };
  }
  const m = LLMMessagesSchema.safeParse(messages);
  if (!m.success) {
    const issue = m.error.issues[0];
    const field = `messages${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`;
    throw new InvalidRequestError(`${provider}: invalid ${field}: ${issue?.message ?? 'invalid messages'}`, { provider, field });
  }
  const o = CallOptionsSchema.safeParse(options ?? {});
  if (!o.success) {
    const issue = o.error.issues[0];
    const field = `options${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`;
    throw new InvalidRequestError(`${provider}: invalid ${field}: ${issue?.message ?? 'invalid options'}`, { provider, field });
  }
  return { messages: m.data, options: o.data };
}

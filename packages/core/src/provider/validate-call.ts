import { CallOptionsSchema, type CallOptions, type ResolvedCallOptions } from '../contract/call-options.js';
import { LLMMessagesSchema, type LLMMessage } from '../contract/message.js';
import { InvalidRequestError } from '../errors/invalid-request-error.js';

// Calls that already passed validation higher up the stack (the pipeline validates once for every
// layer below it): parsing them again would only cost time.
const validatedMessages = new WeakSet<object>();
const validatedOptions = new WeakSet<object>();

/** Marks messages and options as validated output, so providers below skip re-parsing them. */
export function markValidated(messages: LLMMessage[], options: object): void {
  validatedMessages.add(messages);
  validatedOptions.add(options);
}

export function isValidated(messages: LLMMessage[], options: object): boolean {
  return validatedOptions.has(options) && validatedMessages.has(messages);
}

/** Validates messages and call options at the boundary; a bad field gives a typed error naming it. */
export function validateCall(
  provider: string,
  messages: unknown,
  options: CallOptions | undefined,
): { messages: LLMMessage[]; options: ResolvedCallOptions } {
  if (options && validatedOptions.has(options) && validatedMessages.has(messages as object)) {
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

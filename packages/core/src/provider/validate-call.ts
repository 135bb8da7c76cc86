import { CallOptionsSchema, type CallOptions, type ResolvedCallOptions } from '../contract/call-options.js';
import { LLMMessagesSchema, type LLMMessage } from '../contract/message.js';
import { InvalidRequestError } from '../errors/invalid-request-error.js';

/** Validates messages and call options at the boundary; a bad field gives a typed error naming it. */
export function validateCall(
  provider: string,
  messages: unknown,
  options: CallOptions | undefined,
): { messages: LLMMessage[]; options: ResolvedCallOptions } {
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

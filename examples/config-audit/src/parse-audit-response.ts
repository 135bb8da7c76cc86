import { AuditResponseError } from './audit-response-error.js';
import { AuditResultSchema, type Recommendation } from './recommendation.js';

/**
 * Reads the model's answer as an audit: JSON (also inside a ```json fence, as models without
 * structured output tend to answer), validated against the schema. Anything else is an
 * `AuditResponseError` carrying the raw text.
 */
export function parseAuditResponse(content: string, provider: string): Recommendation[] {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  const text = (fenced?.[1] ?? content).trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AuditResponseError(`${provider} did not answer with JSON`, content, provider, error);
  }
  const parsed = AuditResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AuditResponseError(`${provider} answered JSON that is not an audit: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, content, provider);
  }
  return parsed.data.recommendations;
}

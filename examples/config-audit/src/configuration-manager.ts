import { inject, injectable } from 'tsyringe';
import { LLM_PROVIDER, prepareUntrustedInput, StructuredOutputError, type LLMProvider } from '@autoarr-llm/core';
import { parseAuditResponse } from './parse-audit-response.js';
import { AUDIT_JSON_SCHEMA, type Recommendation } from './recommendation.js';

export type AuditedApp = 'sonarr' | 'radarr' | 'sabnzbd';

export const AUDIT_SYSTEM_PROMPT = `You audit the configuration of media-automation software (Sonarr, Radarr, SABnzbd).
Find settings that are insecure, wasteful, or likely to cause failed or poor-quality downloads.
Answer only with JSON: {"recommendations": [{"setting": "<dotted path>", "severity": "low"|"medium"|"high", "issue": "<what is wrong>", "suggestedValue": "<optional>"}]}.
Return an empty list when nothing needs changing.`;

/**
 * The seed's ConfigurationManager: audits a configuration with whichever provider the container
 * gives it (the fallback chain in production, MockProvider in tests).
 */
@injectable()
export class ConfigurationManager {
  constructor(@inject(LLM_PROVIDER) private readonly llm: LLMProvider) {}

  /** The provider in use (the seed logs `provider_name`). */
  get providerName(): string {
    return this.llm.name;
  }

  async auditConfiguration(config: Record<string, unknown>, app: AuditedApp, signal?: AbortSignal): Promise<Recommendation[]> {
    // The configuration is untrusted (it may contain text written by anyone): it goes to the model
    // as delimited data, never as instructions.
    const untrusted = prepareUntrustedInput(config, { label: 'configuration', maxChars: 50_000 });
    const response = await this.llm
      .complete(
        [
          { role: 'system', content: `${AUDIT_SYSTEM_PROMPT}\n${untrusted.instruction}` },
          { role: 'user', content: `Audit this ${app} configuration.\n${untrusted.block}` },
        ],
        {
          temperature: 0.3,
          maxTokens: 2000,
          responseFormat: { type: 'json', name: 'audit', schema: AUDIT_JSON_SCHEMA },
          // Recorded with the call in the call log: `autoarr-llm logs --tag feature=config-audit`.
          tags: { feature: 'config-audit', app },
          ...(signal ? { signal } : {}),
        },
      )
      .catch((error: unknown) => {
        // The model answered, but not as the JSON asked for: read what it said (a fenced answer is
        // still an audit), or report it with the raw answer kept.
        if (StructuredOutputError.isInstance(error)) return { content: error.rawText, provider: error.provider ?? this.llm.name };
        throw error;
      });
    return parseAuditResponse(response.content, response.provider);
  }
}

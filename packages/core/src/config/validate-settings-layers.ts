import { ConfigValidationError } from '../errors/config-validation-error.js';
import type { StandardResult, StandardSchemaV1 } from '../plugin/standard-schema.js';
import { mergeLayers, sourceOf, type Layer } from './layered-values.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';

/** Merges a provider's settings layers and validates them, naming each bad key's source. */
export function mergeAndValidate<T>(
  provider: string,
  schema: StandardSchemaV1<unknown, T>,
  layers: readonly Layer[],
): { value: Record<string, unknown>; check(result: StandardResult<T>): T } {
  const merged = mergeLayers(layers);
  const prefix = `providers.${provider}`;
  return {
    value: merged.value,
    check(result) {
      if (!result.issues) return result.value;
      throw new ConfigValidationError(
        zodIssuesToConfigIssues(result.issues as never, (key) => sourceOf(merged.sources, key.slice(prefix.length + 1)), prefix),
        { subject: `settings of provider "${provider}"`, provider },
      );
    },
  };
}

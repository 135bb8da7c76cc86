import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import type { StandardResult, StandardSchemaV1 } from '../plugin/standard-schema.js';
import { mergeLayers, sourceOf, type Layer } from './layered-values.js';
import { knownKeysAt } from './schema-keys.js';
import { hasUrlCredentials, URL_CREDENTIALS_MESSAGE as URL_CREDENTIALS } from './secret-layer.js';
import { Secret } from '../secret/secret.js';
import { unknownKeyMessage } from './suggest-key.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';


/** Merges a provider's settings layers and validates them, naming each bad key's source. */
export function mergeAndValidate<T>(
  provider: string,
  schema: StandardSchemaV1<unknown, T>,
  layers: readonly Layer[],
): { value: Record<string, unknown>; issues(result: StandardResult<T>): ConfigIssue[]; check(result: StandardResult<T>): T } {
  const merged = mergeLayers(layers);
  const prefix = `providers.${provider}`;
  const source = (key: string) => sourceOf(merged.sources, key.slice(prefix.length + 1));
  const issues = (result: StandardResult<T>): ConfigIssue[] => {
    const out: ConfigIssue[] = [];
    // Plugin schemas usually strip what they do not know, which would let `modle` or `baseURL` pass
    // unnoticed: the keys the schema declares decide, read from the schema itself.
    const known = knownKeysAt(schema, []);
    const reported = new Set<string>();
    if (result.issues) {
      for (const issue of zodIssuesToConfigIssues(result.issues as never, source, prefix, (path) => knownKeysAt(schema, path))) {
        reported.add(issue.key);
        out.push(issue);
      }
    }
    for (const [key, value] of Object.entries(merged.value)) {
      const full = `${prefix}.${key}`;
      if (known && !known.includes(key) && !reported.has(full)) out.push({ key: full, source: source(full), message: unknownKeyMessage(key, known) });
      else if (typeof value === 'string' && hasUrlCredentials(value)) out.push({ key: full, source: source(full), message: URL_CREDENTIALS });
    }
    return out;
  };
  return {
    // Configuration holds secrets as `Secret`s; a plugin's schema gets the plain value, as written, and
    // keeps it masked by declaring the key with `secretString()` (a plain `z.string()` key still works).
    value: revealSecrets(merged.value) as Record<string, unknown>,
    issues,
    check(result) {
      const found = issues(result);
      if (found.length === 0 && !result.issues) return result.value;
      throw new ConfigValidationError(found, { subject: `settings of provider "${provider}"`, provider });
    },
  };
}

function revealSecrets(value: unknown): unknown {
  if (Secret.isInstance(value)) return value.reveal();
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

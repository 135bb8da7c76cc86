import { REDACTED } from '../secret/redact-secrets.js';
import { Secret } from '../secret/secret.js';
import { SECRET_KEY } from './secret-layer.js';

/**
 * A copy of a configuration object fit for printing: `Secret`s, keys that look secret, and the
 * given extra keys (dotted) are replaced by `[redacted]`.
 */
export function redactConfig(value: unknown, secretKeys: readonly string[] = [], path = ''): unknown {
  if (Secret.isInstance(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((v, i) => redactConfig(v, secretKeys, `${path}.${i}`));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      out[k] = v !== undefined && v !== null && (SECRET_KEY.test(k) || secretKeys.includes(p)) ? REDACTED : redactConfig(v, secretKeys, p);
    }
    return out;
  }
  return value;
}

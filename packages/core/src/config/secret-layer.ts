import { Secret } from '../secret/secret.js';

/** Key names that always hold secrets, whatever a plugin declares (also used to mask printed config). */
export const SECRET_KEY = /(api[-_]?key|token|secret|password|license)$/i;
/** Environment variables holding secrets: `CLAUDE_API_KEY`, `AUTOARR_LICENSE`, `X_TOKEN`, … */
export const SECRET_ENV = /(API_?KEY|TOKEN|SECRET|PASSWORD|LICENSE)$/;

/**
 * A copy of one source's settings in which every string under a secret-looking key is a `Secret`,
 * so the configuration objects core hands out never hold a credential in printable form.
 * Runs after `checkConfigShape`, so the input is bounded.
 */
export function maskSecretValues(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && value.length > 0 ? Secret.from(value) : value;
  if (Array.isArray(value)) return value.map((v) => maskSecretValues(v, key));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskSecretValues(v, k);
    return out;
  }
  return value;
}

/** The environment with each secret variable held in a `Secret` (others as they are). */
export function maskSecretEnv(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string | Secret | undefined>> {
  const out: Record<string, string | Secret | undefined> = {};
  for (const [name, value] of Object.entries(env)) out[name] = SECRET_ENV.test(name) && value ? Secret.from(value) : value;
  return Object.freeze(out);
}

/** Said of a URL holding `user:password@`: refused, so it is never printed, logged or sent on. */
export const URL_CREDENTIALS_MESSAGE =
  'a URL with credentials (user:password@) is refused: give the credentials through a key setting or a proxy, not in the URL';

/** Does this text hold a URL with credentials (`https://user:password@host`)? */
export function hasUrlCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(value.trim());
}

/**
 * Every secret value this process holds in a `Secret`. Error messages and log lines are scrubbed of
 * them, so a key echoed back by a backend or an SDK never reaches output.
 */
const knownSecrets = new Set<string>();

/** Secrets shorter than this are not scrubbed: they would mangle ordinary text. */
const MIN_SCRUB_LENGTH = 6;

export const REDACTED = '[redacted]';

export function registerSecretValue(value: string): void {
  if (value.length >= MIN_SCRUB_LENGTH) knownSecrets.add(value);
}

/** Replaces every known secret value in `text`. */
export function redactSecrets(text: string): string {
  if (knownSecrets.size === 0 || text.length === 0) return text;
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { LicenseError } from '@autoarr-llm/core';
import { LicensePayloadSchema, type LicensePayload } from './license-payload.js';

export interface VerifyLicenseOptions {
  /** The Ed25519 public key (KeyObject or SPKI PEM). */
  publicKey: KeyObject | string;
  /** The feature the caller needs, e.g. `custom-model`. */
  feature: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Tolerated clock difference in seconds for `nbf`/`exp` (default 60). */
  clockSkewSeconds?: number;
}

const PROVIDER = 'custom';

/**
 * Verifies a license token offline and returns what it certifies, or throws `LicenseError` with
 * the `problem` set. Messages never contain the token: it is a credential.
 */
export function verifyLicense(token: string | undefined, options: VerifyLicenseOptions): LicensePayload {
  if (token === undefined || token.trim() === '') {
    throw new LicenseError('missing', 'No AutoArr Premium license is configured (set AUTOARR_LICENSE or AUTOARR_LICENSE_FILE)', { provider: PROVIDER });
  }
  const parts = token.trim().split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0] ?? '') || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '')) {
    throw new LicenseError('malformed', 'The AutoArr Premium license is not a license token (expected two base64url parts joined by a dot)', { provider: PROVIDER });
  }
  const [body, signature] = parts as [string, string];
  let key: KeyObject;
  try {
    key = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  } catch (error) {
    throw new LicenseError('bad-signature', 'The license verification key is not a valid public key', { provider: PROVIDER, cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new LicenseError('bad-signature', 'The license verification key is not an Ed25519 public key', { provider: PROVIDER });
  }
  // Verify before parsing: nothing from an unsigned payload is trusted, not even its shape.
  const valid = verify(null, Buffer.from(body, 'ascii'), key, Buffer.from(signature, 'base64url'));
  if (!valid) {
    throw new LicenseError('bad-signature', 'The AutoArr Premium license signature does not verify (tampered, or issued for another key)', { provider: PROVIDER });
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch (error) {
    throw new LicenseError('malformed', 'The AutoArr Premium license payload is not JSON', { provider: PROVIDER, cause: error });
  }
  const parsed = LicensePayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LicenseError('malformed', `The AutoArr Premium license payload is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, { provider: PROVIDER });
  }
  const payload = parsed.data;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkewSeconds ?? 60;
  if (payload.nbf !== undefined && now + skew < payload.nbf) {
    throw new LicenseError('not-yet-valid', `The AutoArr Premium license ${payload.id} is not valid before ${iso(payload.nbf)}`, { provider: PROVIDER });
  }
  if (now - skew >= payload.exp) {
    throw new LicenseError('expired', `The AutoArr Premium license ${payload.id} expired on ${iso(payload.exp)}`, { provider: PROVIDER });
  }
  if (!payload.features.includes(options.feature)) {
    throw new LicenseError('feature-missing', `The AutoArr Premium license ${payload.id} does not include the "${options.feature}" feature (it has: ${payload.features.join(', ')})`, {
      provider: PROVIDER,
    });
  }
  return payload;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

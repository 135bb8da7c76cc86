import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { LicenseError } from '@autoarr-llm/core';
import { licenseKeyId } from './license-key-id.js';
import { LicensePayloadSchema, type LicensePayload } from './license-payload.js';
import type { LicenseKeyInput } from './license-public-key.js';

export interface VerifyLicenseOptions {
  /**
   * The Ed25519 verification key(s) (KeyObject or SPKI PEM). Several during a key rotation: the
   * token's `kid` picks the one it was signed with.
   */
  publicKey: LicenseKeyInput | readonly LicenseKeyInput[];
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
  if (parts.length !== 2 || !isCanonicalBase64Url(parts[0] ?? '') || !isCanonicalBase64Url(parts[1] ?? '') || Buffer.from(parts[1] ?? '', 'base64url').length !== 64) {
    // Canonical only: a signature spelled another way (padding, stray trailing bits) would make
    // many strings of one license, and revocation lists keyed by token would miss them.
    throw new LicenseError('malformed', 'The AutoArr Premium license is not a license token (expected two canonical base64url parts joined by a dot, the second a 64-byte signature)', { provider: PROVIDER });
  }
  const [body, signature] = parts as [string, string];
  const keys = new Map<string, KeyObject>();
  for (const input of Array.isArray(options.publicKey) ? (options.publicKey as readonly LicenseKeyInput[]) : [options.publicKey as LicenseKeyInput]) {
    let key: KeyObject;
    try {
      key = typeof input === 'string' ? createPublicKey(input) : input;
    } catch (error) {
      throw new LicenseError('bad-signature', 'The license verification key is not a valid public key', { provider: PROVIDER, cause: error });
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new LicenseError('bad-signature', 'The license verification key is not an Ed25519 public key', { provider: PROVIDER });
    }
    keys.set(licenseKeyId(key), key);
  }
  if (keys.size === 0) {
    throw new LicenseError('bad-signature', 'This build of @autoarr-premium/provider-custom carries no license verification key (a development build); install the published package', { provider: PROVIDER });
  }
  // Only the key id is read before the signature is checked, and only to pick the key: nothing
  // else from an unverified payload is trusted, not even its shape.
  const kid = unverifiedKeyId(body);
  const key = kid === undefined ? undefined : keys.get(kid);
  if (!key) {
    throw new LicenseError('bad-signature', `The AutoArr Premium license was signed with ${kid === undefined ? 'no named key' : `key ${kid}`}, which this build does not accept (it accepts: ${[...keys.keys()].join(', ')})`, {
      provider: PROVIDER,
    });
  }
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
  if (payload.kid !== kid) throw new LicenseError('malformed', 'The AutoArr Premium license payload names two keys', { provider: PROVIDER });
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

function isCanonicalBase64Url(text: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}

function unverifiedKeyId(body: string): string | undefined {
  try {
    const kid = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { kid?: unknown }).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

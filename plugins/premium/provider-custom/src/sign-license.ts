import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { LicensePayloadSchema, type LicensePayload } from './license-payload.js';

/**
 * Signs a license token: `base64url(payload JSON).base64url(Ed25519 signature of the first part)`.
 * For the license issuer's tooling and for tests (which sign with their own key pair); the
 * provider itself only ever verifies.
 */
export function signLicense(payload: LicensePayload, privateKey: KeyObject | string): string {
  const checked = LicensePayloadSchema.parse(payload);
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const body = Buffer.from(JSON.stringify(checked), 'utf8').toString('base64url');
  const signature = sign(null, Buffer.from(body, 'ascii'), key).toString('base64url');
  return `${body}.${signature}`;
}

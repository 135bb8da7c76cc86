import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { licenseKeyId } from './license-key-id.js';
import { LicensePayloadSchema, type LicensePayload } from './license-payload.js';

/** A payload to sign: the key id may be left out (it is derived from the signing key). */
export type LicenseToSign = Omit<LicensePayload, 'kid'> & { kid?: string | undefined };

/**
 * Signs a license token: `base64url(payload JSON).base64url(Ed25519 signature of the first part)`.
 * For the vendor's license tool and for tests (which sign with their own key pair); the provider
 * itself only ever verifies. The payload's `kid` is the signing key's id.
 */
export function signLicense(payload: LicenseToSign, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new TypeError('signLicense needs an Ed25519 private key');
  const kid = licenseKeyId(key);
  if (payload.kid !== undefined && payload.kid !== kid) throw new TypeError(`the payload names key ${payload.kid}, but it is signed with key ${kid}`);
  const checked = LicensePayloadSchema.parse({ ...payload, kid });
  const body = Buffer.from(JSON.stringify(checked), 'utf8').toString('base64url');
  const signature = sign(null, Buffer.from(body, 'ascii'), key).toString('base64url');
  return `${body}.${signature}`;
}

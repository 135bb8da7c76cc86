import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The id of a license verification key: `ed25519-` and the first 12 bytes of the SHA-256 of its
 * SPKI encoding, base64url. Derived from the key itself, so the signer and the verifier always
 * agree on it, and a token names the key it was signed with (keys can be rotated: a build
 * carries several, each token picks its own).
 */
export function licenseKeyId(key: KeyObject | string): string {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519-${createHash('sha256').update(der).digest().subarray(0, 12).toString('base64url')}`;
}

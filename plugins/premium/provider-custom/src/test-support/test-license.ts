import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { licenseKeyId } from '../license-key-id.js';
import { signLicense, type LicenseToSign } from '../sign-license.js';

/** A key pair made for this test run only, and licenses signed with it. */
export function makeTestLicensing(): { publicKey: KeyObject; privateKey: KeyObject; publicPem: string; kid: string; issue: (overrides?: Partial<LicenseToSign>) => string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const now = Math.floor(Date.now() / 1000);
  return {
    publicKey,
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    kid: licenseKeyId(publicKey),
    issue: (overrides = {}) =>
      signLicense({ v: 1, id: 'lic-test-1', licensee: 'Test Media Co', features: ['custom-model'], iat: now - 60, nbf: now - 60, exp: now + 3600, ...overrides }, privateKey),
  };
}

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signLicense } from '../sign-license.js';
import type { LicensePayload } from '../license-payload.js';

/** A key pair made for this test run only, and licenses signed with it. */
export function makeTestLicensing(): { publicKey: KeyObject; publicPem: string; issue: (overrides?: Partial<LicensePayload>) => string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const now = Math.floor(Date.now() / 1000);
  return {
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    issue: (overrides = {}) =>
      signLicense({ v: 1, id: 'lic-test-1', licensee: 'Test Media Co', features: ['custom-model'], iat: now - 60, nbf: now - 60, exp: now + 3600, ...overrides }, privateKey),
  };
}

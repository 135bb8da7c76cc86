import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { LicenseError } from '@autoarr-llm/core';
import { describe, expect, it } from 'vitest';
import { makeTestLicensing } from './test-support/test-license.js';
import { PRODUCTION_LICENSE_PUBLIC_KEY } from './license-public-key.js';
import { verifyLicense } from './verify-license.js';

const lic = makeTestLicensing();
const feature = 'custom-model';

function problemOf(fn: () => unknown): { problem: string; text: string } {
  try {
    fn();
  } catch (error) {
    expect(LicenseError.isInstance(error)).toBe(true);
    const e = error as LicenseError;
    return { problem: e.problem, text: `${e.message}\n${e.stack}\n${inspect(e)}\n${JSON.stringify(e)}` };
  }
  throw new Error('expected a LicenseError');
}

describe('verifyLicense', () => {
  it('accepts a token signed by the key, returning what it certifies', () => {
    const payload = verifyLicense(lic.issue(), { publicKey: lic.publicKey, feature });
    expect(payload).toMatchObject({ licensee: 'Test Media Co', features: ['custom-model'] });
    expect(verifyLicense(lic.issue(), { publicKey: lic.publicPem, feature }).id).toBe('lic-test-1');
  });

  it('missing, malformed, tampered, foreign-key, expired, not-yet-valid and wrong-feature tokens each fail with their problem', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(problemOf(() => verifyLicense(undefined, { publicKey: lic.publicKey, feature })).problem).toBe('missing');
    expect(problemOf(() => verifyLicense('  ', { publicKey: lic.publicKey, feature })).problem).toBe('missing');
    expect(problemOf(() => verifyLicense('not a token', { publicKey: lic.publicKey, feature })).problem).toBe('malformed');
    const good = lic.issue();
    const [body, sig] = good.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), exp: now + 10 * 365 * 86400 })).toString('base64url');
    expect(problemOf(() => verifyLicense(`${forged}.${sig}`, { publicKey: lic.publicKey, feature })).problem).toBe('bad-signature');
    const other = makeTestLicensing();
    expect(problemOf(() => verifyLicense(other.issue(), { publicKey: lic.publicKey, feature })).problem).toBe('bad-signature');
    expect(problemOf(() => verifyLicense(lic.issue({ exp: now - 3600, nbf: now - 7200, iat: now - 7200 }), { publicKey: lic.publicKey, feature })).problem).toBe('expired');
    expect(problemOf(() => verifyLicense(lic.issue({ nbf: now + 3600 }), { publicKey: lic.publicKey, feature })).problem).toBe('not-yet-valid');
    expect(problemOf(() => verifyLicense(lic.issue({ features: ['reports'] }), { publicKey: lic.publicKey, feature })).problem).toBe('feature-missing');
  });

  it('rejects a non-Ed25519 verification key instead of trusting it', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(problemOf(() => verifyLicense(lic.issue(), { publicKey, feature })).problem).toBe('bad-signature');
  });

  it('never puts the token into the error', () => {
    const now = Math.floor(Date.now() / 1000);
    for (const token of [lic.issue({ exp: now - 3600 }), lic.issue({ features: ['x'] }), makeTestLicensing().issue()]) {
      const { text } = problemOf(() => verifyLicense(token, { publicKey: lic.publicKey, feature }));
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[1]!);
    }
  });

  it('the shipped production key is an Ed25519 key that refuses licenses signed by any other key', () => {
    expect(problemOf(() => verifyLicense(lic.issue(), { publicKey: PRODUCTION_LICENSE_PUBLIC_KEY, feature })).problem).toBe('bad-signature');
  });
});

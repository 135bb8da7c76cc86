import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { LicenseError } from '@autoarr-llm/core';
import { describe, expect, it } from 'vitest';
import { makeTestLicensing } from './test-support/test-license.js';
import { embeddedLicenseKeys } from './license-public-key.js';
import { signLicense } from './sign-license.js';
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

  it('a development build embeds no key and so accepts no license at all', () => {
    expect(embeddedLicenseKeys()).toEqual([]);
    const { problem, text } = problemOf(() => verifyLicense(lic.issue(), { publicKey: embeddedLicenseKeys(), feature }));
    expect(problem).toBe('bad-signature');
    expect(text).toMatch(/no license verification key/);
  });

  it('tokens name their key: with several keys (a rotation) each token is checked against its own, an unknown key id is refused', () => {
    const next = makeTestLicensing();
    const both = [lic.publicPem, next.publicKey];
    expect(verifyLicense(lic.issue(), { publicKey: both, feature }).kid).toBe(lic.kid);
    expect(verifyLicense(next.issue(), { publicKey: both, feature }).kid).toBe(next.kid);
    const { problem, text } = problemOf(() => verifyLicense(makeTestLicensing().issue(), { publicKey: both, feature }));
    expect(problem).toBe('bad-signature');
    expect(text).toContain(lic.kid);
    // A token claiming another key's id but signed with a different one still fails the signature.
    const forged = signLicense({ v: 1, id: 'x', licensee: 'x', features: [feature], iat: 0, exp: 2 ** 31 }, next.privateKey);
    const [, forgedSig] = forged.split('.') as [string, string];
    const [body] = lic.issue().split('.') as [string, string];
    expect(problemOf(() => verifyLicense(`${body}.${forgedSig}`, { publicKey: both, feature })).problem).toBe('bad-signature');
    expect(() => signLicense({ v: 1, id: 'x', kid: lic.kid, licensee: 'x', features: [feature], iat: 0, exp: 2 ** 31 }, next.privateKey)).toThrow(/names key/);
  });

  it('refuses signatures and bodies in non-canonical base64url (padding, stray trailing bits, standard alphabet)', () => {
    const good = lic.issue();
    const [body, sig] = good.split('.') as [string, string];
    expect(sig).toHaveLength(86);
    // The last character of an 86-char signature carries 2 unused bits: flip them and the bytes stay the same.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1)!);
    const sibling = `${sig.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    for (const token of [`${body}.${sibling}`, `${body}.${sig}==`, `${body}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`, `${body}=.${sig}`]) {
      if (token === good) continue;
      expect(problemOf(() => verifyLicense(token, { publicKey: lic.publicKey, feature })).problem).toBe('malformed');
    }
    expect(verifyLicense(good, { publicKey: lic.publicKey, feature }).id).toBe('lic-test-1');
  });
});

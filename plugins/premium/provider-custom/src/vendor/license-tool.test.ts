import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLicenseKeysSchema } from '../license-public-key.js';
import { verifyLicense } from '../verify-license.js';
import { main } from './license-tool.js';

const run = promisify(execFile);
const pkg = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
const tool = (...args: string[]): { code: number; out: string } => {
  let out = '';
  const code = main(args, {}, (s) => (out += s));
  return { code, out };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoarr-license-tool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the vendor license tool', () => {
  it('keygen writes the private key with mode 0600, never over an existing one, never inside a repository', async () => {
    const made = tool('keygen', '--private-key', join(dir, 'k1.pem'), '--public-key', join(dir, 'k1.pub'));
    expect(made.code).toBe(0);
    const { kid, publicKey } = JSON.parse(made.out) as { kid: string; publicKey: string };
    expect(kid).toMatch(/^ed25519-/);
    expect((await stat(join(dir, 'k1.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'k1.pub'), 'utf8')).toBe(publicKey);
    expect(tool('keygen', '--private-key', join(dir, 'k1.pem')).code).toBe(1);
    expect(tool('keygen', '--private-key', join(pkg, 'stray-key.pem')).code).toBe(2);
    await expect(stat(join(pkg, 'stray-key.pem'))).rejects.toThrow();
  });

  it('signs licenses (licensee, features, not-before, expiry, key id) that verify with the public key only', async () => {
    tool('keygen', '--private-key', join(dir, 'k2.pem'), '--public-key', join(dir, 'k2.pub'));
    const signed = tool('sign', '--private-key', join(dir, 'k2.pem'), '--licensee', 'Acme Media', '--features', 'custom-model,reports', '--not-before', '2020-01-01', '--expires', '+30d', '--id', 'lic-42');
    expect(signed.code).toBe(0);
    const token = signed.out.trim();
    const verified = tool('verify', '--public-key', join(dir, 'k2.pub'), token);
    expect(verified.code).toBe(0);
    const payload = JSON.parse(verified.out) as Record<string, unknown>;
    expect(payload).toMatchObject({ id: 'lic-42', licensee: 'Acme Media', features: ['custom-model', 'reports'], nbf: Date.parse('2020-01-01') / 1000 });
    expect(payload['exp'] as number).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);
    expect(verifyLicense(token, { publicKey: await readFile(join(dir, 'k2.pub'), 'utf8'), feature: 'custom-model' }).kid).toBe(payload['kid']);
    // Another key's public half does not verify it.
    tool('keygen', '--private-key', join(dir, 'k3.pem'), '--public-key', join(dir, 'k3.pub'));
    expect(tool('verify', '--public-key', join(dir, 'k3.pub'), token).code).toBe(1);
  });

  it('refuses to sign with a private key others can read', async () => {
    tool('keygen', '--private-key', join(dir, 'k4.pem'));
    await import('node:fs/promises').then((fs) => fs.chmod(join(dir, 'k4.pem'), 0o644));
    expect(tool('sign', '--private-key', join(dir, 'k4.pem'), '--licensee', 'x', '--expires', '+1d').code).toBe(2);
  });

  it('embed takes the key from a file or env var and refuses none, a placeholder, a private key, a non-Ed25519 key and the retired key', async () => {
    const out = join(dir, 'dist');
    await mkdir(out);
    const embed = (env: NodeJS.ProcessEnv) => main(['embed', '--dir', out], env, () => undefined);
    const pub = await readFile(join(dir, 'k1.pub'), 'utf8');
    const pub2 = await readFile(join(dir, 'k2.pub'), 'utf8');
    expect(embed({})).toBe(2);
    expect(embed({ AUTOARR_LICENSE_PUBLIC_KEYS: '-----BEGIN PUBLIC KEY-----\nPLACEHOLDER\n-----END PUBLIC KEY-----\n' })).toBe(2);
    expect(embed({ AUTOARR_LICENSE_PUBLIC_KEYS: await readFile(join(dir, 'k1.pem'), 'utf8') })).toBe(2);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(embed({ AUTOARR_LICENSE_PUBLIC_KEYS: rsa })).toBe(2);
    expect(embed({ AUTOARR_LICENSE_PUBLIC_KEYS: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEApAGt0yp76Qx7ZaSaWgzNIG9jU/0hoxMBXpGOz3LRl74=\n-----END PUBLIC KEY-----\n' })).toBe(2);
    await expect(stat(join(out, 'license-keys.json'))).rejects.toThrow();
    // Two keys (a rotation), from a file.
    await writeFile(join(dir, 'keys.pem'), pub + pub2);
    expect(embed({ AUTOARR_LICENSE_PUBLIC_KEYS_FILE: join(dir, 'keys.pem') })).toBe(0);
    const embedded = EmbeddedLicenseKeysSchema.parse(JSON.parse(await readFile(join(out, 'license-keys.json'), 'utf8')));
    expect(embedded.keys.map((k) => k.publicKey)).toEqual([pub, pub2]);
    expect(main(['unembed', '--dir', out], {}, () => undefined)).toBe(0);
    await expect(stat(join(out, 'license-keys.json'))).rejects.toThrow();
  });

  it('packing the premium package with no key fails (prepack)', async () => {
    const env = { ...process.env };
    delete env['AUTOARR_LICENSE_PUBLIC_KEYS'];
    delete env['AUTOARR_LICENSE_PUBLIC_KEYS_FILE'];
    const failed = await run('pnpm', ['pack', '--pack-destination', dir], { cwd: pkg, env, timeout: 60_000 }).then(
      () => undefined,
      (error: { stderr?: string; stdout?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failed).toMatch(/no license public key/);
  });
});

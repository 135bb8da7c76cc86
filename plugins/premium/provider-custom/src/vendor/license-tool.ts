#!/usr/bin/env node
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LLMError } from '@autoarr-llm/core';
import { licenseKeyId } from '../license-key-id.js';
import { EMBEDDED_KEYS_FILE } from '../license-public-key.js';
import { signLicense } from '../sign-license.js';
import { verifyLicense } from '../verify-license.js';

/**
 * The vendor's license tool (never shipped: `dist/vendor` is left out of the package's `files`).
 *
 *   keygen --private-key <path> [--public-key <path>]   a new Ed25519 key pair
 *   sign --private-key <path> --licensee <name> --expires <date|+Nd> [--features a,b] [--not-before <date>] [--id <id>]
 *   verify --public-key <path> [--public-key <path>…] [--feature f] <token | @file>
 *   embed [--dir <dir>]                                 put the production public key(s) into dist/ (prepack)
 *   unembed [--dir <dir>]                               take them out again (postpack)
 *
 * `embed` reads AUTOARR_LICENSE_PUBLIC_KEYS_FILE (a file of one or more PEM public keys) or
 * AUTOARR_LICENSE_PUBLIC_KEYS (the PEM text itself) and fails when neither is set, or a key is a
 * placeholder, not Ed25519, or a private key: a package published that way could never accept a
 * license.
 */
const PLACEHOLDER = /placeholder|replace[-_ ]?me|changeme|example|xxxx/i;
/** Keys that must never be embedded again (their private halves are lost). */
const RETIRED_KEYS = new Set(['MCowBQYDK2VwAyEApAGt0yp76Qx7ZaSaWgzNIG9jU/0hoxMBXpGOz3LRl74=']);
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

class UsageError extends Error {}

const distDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'keygen':
        return keygen(rest, out);
      case 'sign':
        return signCommand(rest, out);
      case 'verify':
        return verifyCommand(rest, out);
      case 'embed':
        return embed(targetDir(rest), env, out);
      case 'unembed':
        rmSync(join(targetDir(rest), EMBEDDED_KEYS_FILE), { force: true });
        return 0;
      default:
        throw new UsageError(`unknown command ${command ?? '(none)'}; expected keygen, sign, verify, embed or unembed`);
    }
  } catch (error) {
    const message = LLMError.isInstance(error) ? `${error.code}: ${error.message}` : (error as Error).message;
    process.stderr.write(`license-tool: ${message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function keygen(args: string[], out: (s: string) => void): number {
  const { values } = parseArgs({ args, options: { 'private-key': { type: 'string' }, 'public-key': { type: 'string' } } });
  const privatePath = values['private-key'];
  if (!privatePath) throw new UsageError('keygen needs --private-key <path> (outside any repository)');
  const target = resolve(privatePath);
  const repo = enclosingRepository(dirname(target));
  if (repo) throw new UsageError(`refusing to write a private key inside the repository ${repo}; choose a path outside it`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // `wx`: never overwrite an existing key (a lost key cannot be recovered); 0600 from creation on.
  writeFileSync(target, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (values['public-key']) writeFileSync(resolve(values['public-key']), publicPem, { flag: 'wx' });
  out(`${JSON.stringify({ kid: licenseKeyId(publicKey), privateKey: target, publicKey: publicPem })}\n`);
  return 0;
}

function signCommand(args: string[], out: (s: string) => void): number {
  const { values } = parseArgs({
    args,
    options: {
      'private-key': { type: 'string' },
      licensee: { type: 'string' },
      features: { type: 'string', default: 'custom-model' },
      expires: { type: 'string' },
      'not-before': { type: 'string' },
      id: { type: 'string' },
    },
  });
  if (!values['private-key'] || !values.licensee || !values.expires) throw new UsageError('sign needs --private-key, --licensee and --expires');
  const key = readPrivateKey(values['private-key']);
  const now = Math.floor(Date.now() / 1000);
  const token = signLicense(
    {
      v: 1,
      id: values.id ?? `lic-${new Date(now * 1000).toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`,
      licensee: values.licensee,
      features: values.features.split(',').map((f) => f.trim()).filter(Boolean),
      iat: now,
      ...(values['not-before'] ? { nbf: parseTime(values['not-before'], now) } : {}),
      exp: parseTime(values.expires, now),
    },
    key,
  );
  out(`${token}\n`);
  return 0;
}

function verifyCommand(args: string[], out: (s: string) => void): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string', multiple: true }, feature: { type: 'string', default: 'custom-model' } } });
  const keys = (values['public-key'] ?? []).flatMap((p) => publicKeysIn(readFileSync(p, 'utf8'), p));
  if (keys.length === 0) throw new UsageError('verify needs --public-key <path> (one or more)');
  const arg = positionals[0];
  if (!arg) throw new UsageError('verify needs the token (or @file)');
  const token = arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8').trim() : arg;
  out(`${JSON.stringify(verifyLicense(token, { publicKey: keys, feature: values.feature }))}\n`);
  return 0;
}

/** Where `embed` writes: the package's dist/ (what gets packed), or `--dir` (tests). */
function targetDir(args: string[]): string {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' } } });
  return values.dir ? resolve(values.dir) : distDir;
}

function embed(dir: string, env: NodeJS.ProcessEnv, out: (s: string) => void): number {
  const file = env['AUTOARR_LICENSE_PUBLIC_KEYS_FILE'];
  const text = file ? readFileSync(file, 'utf8') : env['AUTOARR_LICENSE_PUBLIC_KEYS'];
  if (!text || text.trim() === '') {
    throw new UsageError('no license public key: set AUTOARR_LICENSE_PUBLIC_KEYS_FILE (or AUTOARR_LICENSE_PUBLIC_KEYS) to the production public key(s) before packing or publishing');
  }
  const keys = publicKeysIn(text, file ?? 'AUTOARR_LICENSE_PUBLIC_KEYS');
  const entries = keys.map((key) => ({ kid: licenseKeyId(key), publicKey: key.export({ type: 'spki', format: 'pem' }).toString() }));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir} does not exist; build first`);
  writeFileSync(join(dir, EMBEDDED_KEYS_FILE), `${JSON.stringify({ keys: entries }, null, 2)}\n`);
  out(`embedded ${entries.map((e) => e.kid).join(', ')} into dist/${EMBEDDED_KEYS_FILE}\n`);
  return 0;
}

/** The Ed25519 public keys in a PEM text; anything else (a private key, a placeholder) is refused. */
export function publicKeysIn(text: string, source: string): KeyObject[] {
  if (PLACEHOLDER.test(text)) throw new UsageError(`${source} holds a placeholder, not a key`);
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new UsageError(`${source} holds no PEM public key`);
  return blocks.map(([pem, label]) => {
    if (label !== 'PUBLIC KEY') throw new UsageError(`${source} holds a ${label ?? 'non-public key'}; only public keys may be embedded`);
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new UsageError(`${source} holds a PEM block that is not a valid public key`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${source} holds a ${key.asymmetricKeyType ?? 'unknown'} key; license keys are Ed25519`);
    if (RETIRED_KEYS.has(key.export({ type: 'spki', format: 'der' }).toString('base64'))) throw new UsageError(`${source} holds a retired key (its private half is lost)`);
    return key;
  });
}

function readPrivateKey(path: string): KeyObject {
  const mode = statSync(path).mode & 0o077;
  if (mode !== 0) throw new UsageError(`${path} is readable by others (mode ${(statSync(path).mode & 0o777).toString(8)}); chmod 600 it`);
  return createPrivateKey(readFileSync(path, 'utf8'));
}

/** Unix seconds from an ISO date or `+<n>d` (days from now). */
function parseTime(text: string, now: number): number {
  const days = /^\+(\d+)d$/.exec(text);
  if (days) return now + Number(days[1]) * 86_400;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`"${text}" is not a date (ISO 8601) or +<days>d`);
  return Math.floor(ms / 1000);
}

function enclosingRepository(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));

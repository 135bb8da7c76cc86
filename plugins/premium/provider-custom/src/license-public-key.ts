import { readFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { licenseKeyId } from './license-key-id.js';

/** A license verification key: an Ed25519 public key (KeyObject or SPKI PEM). */
export type LicenseKeyInput = KeyObject | string;

/** The file, beside the compiled code, that the vendor's build writes the production keys into. */
export const EMBEDDED_KEYS_FILE = 'license-keys.json';

export const EmbeddedLicenseKeysSchema = z.object({
  keys: z.array(z.object({ kid: z.string().min(1), publicKey: z.string().includes('BEGIN PUBLIC KEY') })).min(1),
});

/**
 * The production verification keys, embedded into the published package by the vendor's build
 * (`license-tool embed`, run by `prepack`; several during a key rotation). Only public halves
 * ship. No config file or environment variable can replace them at run time: a host may pass
 * other keys only in code (`PluginContext.services` under {@link LICENSE_PUBLIC_KEY_SERVICE}, or
 * the `licensePublicKey` option of `createCustomModel`), which is how tests sign their own
 * licenses. A development build carries none and accepts no license.
 */
export function embeddedLicenseKeys(): KeyObject[] {
  let text: string;
  try {
    text = readFileSync(new URL(`./${EMBEDDED_KEYS_FILE}`, import.meta.url), 'utf8');
  } catch {
    return [];
  }
  const parsed = EmbeddedLicenseKeysSchema.parse(JSON.parse(text));
  return parsed.keys.map(({ kid, publicKey }) => {
    const key = createPublicKey(publicKey);
    // A mismatch means the file was edited by hand: refuse rather than guess which is right.
    if (key.asymmetricKeyType !== 'ed25519' || licenseKeyId(key) !== kid) throw new Error(`${EMBEDDED_KEYS_FILE}: key ${kid} is not the Ed25519 key it names`);
    return key;
  });
}

/** The `PluginContext.services` key under which a host may hand over other verification keys. */
export const LICENSE_PUBLIC_KEY_SERVICE = 'autoarr-premium.licensePublicKey';

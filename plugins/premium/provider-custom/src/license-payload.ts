import { z } from 'zod';

/**
 * What a license token certifies. Times are Unix seconds (as in JWT `exp`/`nbf`), so a token
 * stays short and unambiguous across time zones.
 */
export const LicensePayloadSchema = z.object({
  /** Format version of the payload. */
  v: z.literal(1),
  /** License id, for support and revocation lists. */
  id: z.string().min(1),
  /** Id of the key that signed the token (`licenseKeyId`); selects the verification key. */
  kid: z.string().regex(/^ed25519-[A-Za-z0-9_-]{16}$/, 'expected a key id (ed25519-…)'),
  licensee: z.string().min(1),
  /** Features the license unlocks; the custom provider needs `custom-model`. */
  features: z.array(z.string().min(1)).min(1),
  /** Issued at. */
  iat: z.number().int().nonnegative(),
  /** Not valid before. */
  nbf: z.number().int().nonnegative().optional(),
  /** Expires at. */
  exp: z.number().int().positive(),
});
export type LicensePayload = z.infer<typeof LicensePayloadSchema>;

/** The feature the custom provider requires. */
export const CUSTOM_MODEL_FEATURE = 'custom-model';

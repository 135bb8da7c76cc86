/**
 * The production license verification key (Ed25519, SPKI PEM). Only the public half ships; the
 * private key stays with the license issuer. No config file or environment variable can replace
 * it: a host may pass another key only in code (`PluginContext.services` under
 * {@link LICENSE_PUBLIC_KEY_SERVICE}, or the `licensePublicKey` option of `createCustomModel`),
 * which is how tests sign their own licenses.
 */
export const PRODUCTION_LICENSE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEApAGt0yp76Qx7ZaSaWgzNIG9jU/0hoxMBXpGOz3LRl74=
-----END PUBLIC KEY-----
`;

/** The `PluginContext.services` key under which a host may hand over another verification key. */
export const LICENSE_PUBLIC_KEY_SERVICE = 'autoarr-premium.licensePublicKey';

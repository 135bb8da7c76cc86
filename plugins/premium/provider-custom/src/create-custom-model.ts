import { ConfigValidationError, LicenseError, silentLogger, type Logger } from '@autoarr-llm/core';
import { CustomModelSettingsSchema, type CustomModelSettingsInput } from './custom-model-settings.js';
import { CustomModelProvider, type CustomModelGeneration } from './custom-model-provider.js';
import type { DownloadProgress } from './download-model.js';
import { CUSTOM_MODEL_FEATURE } from './license-payload.js';
import { embeddedLicenseKeys, type LicenseKeyInput } from './license-public-key.js';
import { readLicenseToken } from './read-license-token.js';
import { resolveThreads } from './resolve-threads.js';
import { verifyLicense } from './verify-license.js';

export interface CreateCustomModelOptions {
  /**
   * The license verification key(s); the keys embedded in the published package when absent.
   * Code-only on purpose: no config file or environment variable can swap the keys that licenses
   * are checked against.
   */
  licensePublicKey?: LicenseKeyInput | readonly LicenseKeyInput[] | undefined;
  logger?: Logger | undefined;
  /** Relative model, cache and allowed paths resolve against this (the app's root); default cwd. */
  appRoot?: string | undefined;
  onGenerate?: ((generation: CustomModelGeneration) => void) | undefined;
  onDownloadProgress?: ((progress: DownloadProgress) => void) | undefined;
}

/**
 * Creates the premium custom-model provider (the seed's `CustomModelProvider(config)`). Verifies
 * the license first and throws `LicenseError` when it is missing, malformed, tampered with,
 * expired, not yet valid, or lacks the `custom-model` feature. Loads nothing: the model loads on
 * first use or `warmUp()`.
 */
export async function createCustomModel(settings: CustomModelSettingsInput, options: CreateCustomModelOptions = {}): Promise<CustomModelProvider> {
  const parsed = CustomModelSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((i) => ({ key: `providers.custom.${i.path.join('.')}`, source: 'createCustomModel() settings', message: i.message })),
      { subject: 'settings of provider "custom"', provider: 'custom' },
    );
  }
  const logger = options.logger ?? silentLogger;
  const publicKey = options.licensePublicKey ?? readEmbeddedKeys();
  const token = await readLicenseToken(parsed.data);
  const check = () => verifyLicense(token, { publicKey, feature: CUSTOM_MODEL_FEATURE });
  const license = check();
  const { threads, clamped } = resolveThreads(parsed.data.threads);
  if (clamped) logger.warn({ provider: 'custom', requested: parsed.data.threads, threads }, 'custom: more threads asked for than cores available; using the cores available');
  logger.info({ provider: 'custom', licensee: license.licensee, license: license.id, expires: new Date(license.exp * 1000).toISOString() }, 'AutoArr Premium license verified');
  return new CustomModelProvider({
    settings: parsed.data,
    license,
    recheckLicense: check,
    threads,
    logger,
    appRoot: options.appRoot,
    onGenerate: options.onGenerate,
    onDownloadProgress: options.onDownloadProgress,
  });
}

/** The embedded keys; a damaged key file is a license problem (the chain goes on), not a crash. */
function readEmbeddedKeys(): ReturnType<typeof embeddedLicenseKeys> {
  try {
    return embeddedLicenseKeys();
  } catch (error) {
    throw new LicenseError('bad-signature', `The license verification keys of @autoarr-premium/provider-custom are damaged (${(error as Error).message}); reinstall the package`, { provider: 'custom', cause: error });
  }
}

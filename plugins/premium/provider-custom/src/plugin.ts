import { definePlugin, PROVIDER_API_VERSION } from '@autoarr-llm/core';
import { createCustomModel } from './create-custom-model.js';
import { CUSTOM_MODEL_ENV, CustomModelSettingsSchema } from './custom-model-settings.js';
import { LICENSE_PUBLIC_KEY_SERVICE, type LicenseKeyInput } from './license-public-key.js';

/**
 * The plugin entry (`autoarr-llm-plugin.entry`). Importing it loads neither node-llama-cpp nor a
 * model; `create` verifies the license (throwing `LicenseError`, after which the factory falls
 * back to the free chain) and returns a provider that loads the model on first use.
 */
export default definePlugin({
  name: 'custom',
  apiVersion: PROVIDER_API_VERSION,
  tier: 'premium',
  description: 'AutoArr Premium: custom-trained local GGUF models through node-llama-cpp (license required)',
  configSchema: CustomModelSettingsSchema,
  env: CUSTOM_MODEL_ENV,
  secretKeys: ['license'],
  create: (settings, context) => {
    const key = context.services.get(LICENSE_PUBLIC_KEY_SERVICE);
    const isKey = (k: unknown) => typeof k === 'string' || (typeof k === 'object' && k !== null && 'asymmetricKeyType' in k);
    if (key !== undefined && !isKey(key) && !(Array.isArray(key) && key.length > 0 && key.every(isKey))) {
      throw new TypeError(`services "${LICENSE_PUBLIC_KEY_SERVICE}" must be a PEM string, a KeyObject or a list of them`);
    }
    return createCustomModel(settings, {
      licensePublicKey: key as LicenseKeyInput | LicenseKeyInput[] | undefined,
      logger: context.logger,
      appRoot: context.appRoot,
    });
  },
});

export { createCustomModel, type CreateCustomModelOptions } from './create-custom-model.js';
export { CustomModelProvider, type CustomModelGeneration, type CustomModelProviderOptions } from './custom-model-provider.js';
export {
  CustomModelSettingsSchema,
  CUSTOM_MODEL_ENV,
  DEFAULT_CACHE_DIR,
  DEFAULT_MAX_TOKENS,
  DEVICES,
  QUANTIZATIONS,
  type CustomModelDevice,
  type CustomModelQuantization,
  type CustomModelSettings,
  type CustomModelSettingsInput,
} from './custom-model-settings.js';
export { LicensePayloadSchema, CUSTOM_MODEL_FEATURE, type LicensePayload } from './license-payload.js';
export { embeddedLicenseKeys, LICENSE_PUBLIC_KEY_SERVICE, EMBEDDED_KEYS_FILE, type LicenseKeyInput } from './license-public-key.js';
export { licenseKeyId } from './license-key-id.js';
export { verifyLicense, type VerifyLicenseOptions } from './verify-license.js';
export { signLicense, type LicenseToSign } from './sign-license.js';
export { checkModelPath } from './check-model-path.js';
export { resolveModelFile, defaultAllowedDirs, type ResolvedModelFile, type ResolveModelFileOptions } from './resolve-model-file.js';
export { downloadModel, cachedModelPath, type DownloadProgress, type DownloadModelOptions } from './download-model.js';
export { precisionOfTensorTypes, precisionOfType, type ModelPrecision } from './model-quantization.js';
export type { ModelFacts } from './read-model-facts.js';

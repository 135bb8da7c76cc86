import { readFile } from 'node:fs/promises';
import { LicenseError } from '@autoarr-llm/core';
import type { CustomModelSettings } from './custom-model-settings.js';

/** The license token from the settings: `license` itself, else the contents of `licenseFile`. */
export async function readLicenseToken(settings: Pick<CustomModelSettings, 'license' | 'licenseFile'>): Promise<string | undefined> {
  if (settings.license) return settings.license.reveal();
  if (!settings.licenseFile) return undefined;
  try {
    return (await readFile(settings.licenseFile, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LicenseError('missing', `The license file ${settings.licenseFile} cannot be read (${code ?? 'error'})`, { provider: 'custom', cause: error });
  }
}

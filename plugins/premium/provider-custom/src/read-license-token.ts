import { readFile, stat } from 'node:fs/promises';
import { LicenseError } from '@autoarr-llm/core';
import type { CustomModelSettings } from './custom-model-settings.js';

/** The license token from the settings: `license` itself, else the contents of `licenseFile`. */
export async function readLicenseToken(settings: Pick<CustomModelSettings, 'license' | 'licenseFile'>): Promise<string | undefined> {
  if (settings.license) return settings.license.reveal();
  if (!settings.licenseFile) return undefined;
  // Opening a FIFO blocks until something writes to it (for ever, and a thread with it): only a regular file is read.
  const info = await stat(settings.licenseFile).catch(() => undefined);
  if (info && !info.isFile()) {
    throw new LicenseError('missing', `The license file ${settings.licenseFile} is not a regular file (a FIFO, socket or device cannot hold a license)`, { provider: 'custom' });
  }
  try {
    return (await readFile(settings.licenseFile, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LicenseError('missing', `The license file ${settings.licenseFile} cannot be read (${code ?? 'error'})`, { provider: 'custom', cause: error });
  }
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envNumber } from './env-schemas.js';
import { settingsFromEnv } from './settings-from-env.js';

const definition = {
  name: 'acme',
  configSchema: z.object({ url: z.url().default('http://127.0.0.1:1'), timeout: envNumber().default(5), model: z.string().default('m') }),
  env: { ACME_URL: 'url', ACME_TIMEOUT: 'timeout' },
};

describe('settingsFromEnv', () => {
  it('code beats environment beats defaults', () => {
    expect(settingsFromEnv(definition, { model: 'x', url: undefined }, { ACME_URL: 'http://127.0.0.1:2', ACME_TIMEOUT: '9' })).toEqual({ url: 'http://127.0.0.1:2', timeout: 9, model: 'x' });
    expect(settingsFromEnv(definition, { timeout: 3 }, { ACME_TIMEOUT: '9' }).timeout).toBe(3);
    expect(settingsFromEnv(definition, {}, {})).toEqual({ url: 'http://127.0.0.1:1', timeout: 5, model: 'm' });
  });

  it('reports every bad value at once, naming the variable or the code that set it', () => {
    let error: unknown;
    try {
      settingsFromEnv(definition, { model: 42 }, { ACME_URL: 'not a url', ACME_TIMEOUT: 'soon' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: expect.arrayContaining([
        expect.objectContaining({ key: 'providers.acme.url', source: 'env ACME_URL' }),
        expect.objectContaining({ key: 'providers.acme.timeout', source: 'env ACME_TIMEOUT', message: 'expected a number' }),
        expect.objectContaining({ key: 'providers.acme.model', source: 'acme settings in code' }),
      ]),
    });
  });
});

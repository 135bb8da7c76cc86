import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigValidationError, LLMError, ModelNotFoundError } from '@autoarr-llm/core';
import { readGgufHeader } from '@autoarr-llm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModelDir, writeTinyModel } from './test-support/tiny-model.js';
import { checkModelPath } from './check-model-path.js';
import { CustomModelSettingsSchema } from './custom-model-settings.js';
import { precisionOfTensorTypes } from './model-quantization.js';
import { resolveModelFile } from './resolve-model-file.js';

let root: string;
let cleanup: () => Promise<void>;
let variants: string;
let outside: string;
const settings = (over: Record<string, unknown>) => CustomModelSettingsSchema.parse({ cacheDir: join(root, 'cache'), ...over });

async function rejection(p: Promise<unknown>): Promise<LLMError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(LLMError.isInstance(e), `expected a typed error, got ${String(e)}`).toBe(true);
  return e as LLMError;
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeModelDir());
  variants = join(root, 'models', 'autoarr-premium-v1.0');
  outside = join(root, 'elsewhere');
  await mkdir(variants, { recursive: true });
  await mkdir(outside, { recursive: true });
  await Promise.all([writeTinyModel(variants, 'F16', 'premium.f16'), writeTinyModel(variants, 'Q8_0', 'premium.q8_0'), writeTinyModel(variants, 'Q4_0', 'premium.q4_0')]);
  await writeTinyModel(outside, 'Q4_0', 'secret');
  await writeFile(join(outside, 'notes.txt'), 'not a model');
});
afterAll(() => cleanup());

describe('quantization selection', () => {
  it('picks the variant matching CUSTOM_MODEL_QUANTIZATION, agreeing with the tensor types testkit reads from each header', async () => {
    for (const [quantization, file] of [['4bit', 'premium.q4_0'], ['8bit', 'premium.q8_0'], ['16bit', 'premium.f16']] as const) {
      const r = await resolveModelFile(settings({ modelPath: variants, quantization }));
      expect(r.selected.id).toBe(file);
      expect(r.variants.map((v) => v.id).sort()).toEqual(['premium.f16', 'premium.q4_0', 'premium.q8_0']);
      const header = await readGgufHeader(r.selected.path);
      expect(precisionOfTensorTypes(header.tensorTypeCounts).precision).toBe(quantization);
      expect(r.selected.tensorTypeCounts).toEqual(header.tensorTypeCounts);
      expect(r.selected.contextLength).toBe(header.contextLength);
    }
  });

  it('auto takes the most precise variant that fits in memory, else the smallest', async () => {
    expect((await resolveModelFile(settings({ modelPath: variants })) ).selected.precision).toBe('16bit');
    expect((await resolveModelFile(settings({ modelPath: variants }), { availableMemory: 1 })).selected.precision).toBe('4bit');
  });

  it('a file whose tensors do not match the configured quantization is a config error naming both', async () => {
    const e = await rejection(resolveModelFile(settings({ modelPath: join(variants, 'premium.q8_0.gguf'), quantization: '4bit' })));
    expect(ConfigValidationError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/4bit.*8bit.*Q8_0/s);
  });

  it('a directory without the asked-for variant is MODEL_NOT_FOUND listing what is there', async () => {
    const only = join(root, 'models', 'only-q8');
    await mkdir(only, { recursive: true });
    await writeTinyModel(only, 'Q8_0');
    const e = await rejection(resolveModelFile(settings({ modelPath: only, quantization: '16bit' })));
    expect(ModelNotFoundError.isInstance(e)).toBe(true);
    expect(e.message).toContain('tiny-q8_0 (8bit, Q8_0)');
  });
});

describe('model path refusals', () => {
  it('refuses ".." traversal before touching the file system', async () => {
    const e = await rejection(resolveModelFile(settings({ modelPath: `${variants}/../../elsewhere/secret.gguf` })));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/"\.\." segment/);
  });

  it('refuses a symlink that escapes the allowed directories (file and directory variants)', async () => {
    const linkDir = join(root, 'models', 'linked');
    await mkdir(linkDir, { recursive: true });
    await symlink(join(outside, 'secret.gguf'), join(linkDir, 'model.gguf'));
    const e = await rejection(resolveModelFile(settings({ modelPath: join(linkDir, 'model.gguf') })));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/outside the allowed model directories/);
    // In a directory of variants the escaping link is refused and reported; the real files still serve.
    const mixed = join(root, 'models', 'mixed');
    await mkdir(mixed, { recursive: true });
    await writeTinyModel(mixed, 'Q4_0', 'good');
    await symlink(join(outside, 'secret.gguf'), join(mixed, 'evil.gguf'));
    const r = await resolveModelFile(settings({ modelPath: mixed }));
    expect(r.variants.map((v) => v.id)).toEqual(['good']);
    expect(r.refused).toEqual([{ file: 'evil.gguf', reason: expect.stringMatching(/outside the allowed/) }]);
    // Allowlisting the other directory explicitly makes it acceptable.
    const allowed = await resolveModelFile(settings({ modelPath: join(linkDir, 'model.gguf'), allowedDirs: [linkDir, outside] }));
    expect(allowed.selected.path).toBe(join(outside, 'secret.gguf'));
  });

  it('refuses non-GGUF files and non-regular files, and reports a missing file as MODEL_NOT_FOUND', async () => {
    const e1 = await rejection(checkModelPath(join(outside, 'notes.txt'), [outside]));
    expect(e1.message).toMatch(/not a GGUF file/);
    const e2 = await rejection(checkModelPath(variants, [join(root, 'models')]));
    expect(e2.message).toMatch(/not a regular file/);
    const e3 = await rejection(resolveModelFile(settings({ modelPath: join(variants, 'nope.gguf') })));
    expect(ModelNotFoundError.isInstance(e3)).toBe(true);
    const e4 = await rejection(resolveModelFile(settings({ modelPath: 'file:///etc/passwd' })));
    expect(e4.code).toBe('CONFIG_INVALID');
  });
});

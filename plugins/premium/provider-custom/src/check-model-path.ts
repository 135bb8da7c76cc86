import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { ConfigValidationError, ModelNotFoundError } from '@autoarr-llm/core';
import { checkGgufHeader, GgufHeaderError } from './check-gguf-header.js';

/** Whether a configured path has a `..` segment (refused outright: a model path never needs one). */
export function hasTraversal(path: string): boolean {
  return path.split(/[\\/]+/).includes('..');
}

/** Whether `child` (a real path) lies inside `parent` (a real path). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real paths of the allowed directories that exist (a missing one allows nothing). */
export async function realAllowedDirs(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    try {
      out.push(await realpath(dir));
    } catch {
      // A directory that does not exist (yet) cannot contain the model.
    }
  }
  return out;
}

/**
 * Checks a model (or LoRA) file before anything loads it: no `..` in the configured path, it
 * exists, its real path (after every symlink) lies inside one of the allowed directories, it is a
 * regular readable file, and its GGUF header holds together (every count and length within the
 * file: see `checkGgufHeader`). Returns the real path, which is what
 * gets loaded (so a symlink swapped later cannot redirect the load).
 */
export async function checkModelPath(path: string, allowedRealDirs: readonly string[], setting = 'modelPath'): Promise<string> {
  const refuse = (message: string) => new ConfigValidationError([{ key: `providers.custom.${setting}`, source: 'settings', message }], { provider: 'custom', subject: 'model path' });
  if (hasTraversal(path)) throw refuse(`"${path}" contains a ".." segment; give the model's path without traversal`);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ModelNotFoundError(path, `custom: model file ${path} does not exist`, { provider: 'custom', cause: error });
    throw refuse(`"${path}" cannot be resolved (${code ?? 'error'})`);
  }
  if (!allowedRealDirs.some((dir) => isInside(dir, real))) {
    throw refuse(`"${path}" resolves to ${real}, outside the allowed model directories (${allowedRealDirs.join(', ') || 'none'}); move it there or add its directory to CUSTOM_MODEL_ALLOWED_DIRS`);
  }
  const info = await stat(real);
  if (!info.isFile()) throw refuse(`"${path}" is not a regular file`);
  let file: FileHandle;
  try {
    file = await open(real, 'r');
  } catch (error) {
    throw refuse(`"${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    await checkGgufHeader(file, info.size);
  } catch (error) {
    if (!(error instanceof GgufHeaderError)) throw refuse(`"${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    throw refuse(error.message === 'no GGUF magic at its start' ? `"${path}" is not a GGUF file (no GGUF magic at its start)` : `"${path}" is not a valid GGUF file: ${error.message}`);
  } finally {
    await file.close();
  }
  return real;
}

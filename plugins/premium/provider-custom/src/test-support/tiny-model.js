import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGgufModel } from '@autoarr-llm/testkit';
/** A temp dir with tiny random-weight llama models (embedding 64, 2 layers) for real inference. */
export async function makeModelDir(prefix = 'autoarr-custom-') {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
export async function writeTinyModel(dir, fileType, name = `tiny-${fileType.toLowerCase()}`) {
    const path = join(dir, `${name}.gguf`);
    await writeGgufModel(path, { fileType, embeddingLength: 64, blockCount: 2, seed: 7 });
    return path;
}
//# sourceMappingURL=tiny-model.js.map
import { type GgufModelFileType } from '@autoarr-llm/testkit';
/** A temp dir with tiny random-weight llama models (embedding 64, 2 layers) for real inference. */
export declare function makeModelDir(prefix?: string): Promise<{
    dir: string;
    cleanup: () => Promise<void>;
}>;
export declare function writeTinyModel(dir: string, fileType: GgufModelFileType, name?: string): Promise<string>;
//# sourceMappingURL=tiny-model.d.ts.map
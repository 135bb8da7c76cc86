import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../../plugins/premium/provider-custom/', import.meta.url));
const run = (script: string) => execFileSync(process.execPath, [`bench/${script}`], { encoding: 'utf8', cwd: dir }).trimEnd().split('\n');

/**
 * The premium provider's decode throughput against raw node-llama-cpp: on the committed real
 * model (TinyStories 260K, temperature 0, with llama.cpp thread counts idle and under load), and
 * on a generated ~33 MB model (4 parallel sequences against 1). Each runs in its own process:
 * they load native code.
 */
export function premiumDecodeBench(): string[] {
  return ['premium provider (node-llama-cpp) decode throughput:', ...[...run('stories-decode.mjs'), ...run('decode-throughput.mjs')].map((l) => `  ${l}`)];
}

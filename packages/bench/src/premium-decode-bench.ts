import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../plugins/premium/provider-custom/bench/decode-throughput.mjs', import.meta.url));

/**
 * The premium provider's decode throughput against raw node-llama-cpp on the same generated
 * ~33 MB model, and 4 parallel sequences against 1. Runs in its own process: it loads native code.
 */
export function premiumDecodeBench(): string[] {
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../../../plugins/premium/provider-custom/', import.meta.url)) });
  return ['premium provider (node-llama-cpp) decode throughput:', ...out.trimEnd().split('\n').map((l) => `  ${l}`)];
}

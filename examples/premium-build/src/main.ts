#!/usr/bin/env node
// The premium build's start-up: the same createProvider() as the free build. What makes it premium
// is installed and configured around it: the private plugin, the scope allowlist, the license.
import { createProvider, LLMError } from '@autoarr-llm/core';

const prompt = process.argv.slice(2).join(' ') || 'Suggest a quality cascade for a 4K HDR film release.';
try {
  const provider = await createProvider();
  process.stderr.write(`Using LLM provider: ${provider.name} (chain: ${provider.chain.join(' -> ')})\n`);
  try {
    for await (const chunk of provider.streamComplete([{ role: 'user', content: prompt }], { maxTokens: 256 })) process.stdout.write(chunk);
    process.stdout.write('\n');
  } finally {
    await provider.dispose();
  }
} catch (error) {
  process.stderr.write(`${LLMError.isInstance(error) ? `[${error.code}] ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = LLMError.isInstance(error) && error.code === 'NO_PROVIDER_AVAILABLE' ? 4 : 1;
}

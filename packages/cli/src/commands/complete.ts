import type { LLMMessage } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

export interface CompleteFlags extends GlobalFlags {
  json?: boolean | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  system?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  timeout?: number | undefined;
}

/** Answers one prompt through the chain, streaming the text as it arrives (`--json`: one object at the end). */
export async function complete(io: CliIO, flags: CompleteFlags, prompt: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const chain = await factory.createProvider(flags.provider);
    const messages: LLMMessage[] = [...(flags.system ? [{ role: 'system' as const, content: flags.system }] : []), { role: 'user', content: prompt }];
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const stream = chain.streamComplete(messages, {
        signal: controller.signal,
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
        ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
        ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      });
      for await (const chunk of stream) if (!flags.json) io.out(chunk);
      const response = await stream.response;
      if (flags.json) io.out(`${JSON.stringify(response, null, 2)}\n`);
      else io.out('\n');
      return EXIT.OK;
    } finally {
      process.off('SIGINT', onSigint);
    }
  } finally {
    await factory.dispose();
  }
}

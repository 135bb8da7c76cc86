import type { CallOptions, LLMMessage } from '@autoarr-llm/core';
import { cancelOnInterrupt } from '../cancel-on-interrupt.js';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { requireInstalled } from '../require-installed.js';

export interface CompleteFlags extends GlobalFlags {
  provider?: string | undefined;
  model?: string | undefined;
  system?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  timeout?: number | undefined;
}

/**
 * Answers one prompt through the chain, writing the text to stdout as it arrives (`--json`: the
 * final response as one object instead). Ctrl-C cancels the request on the backend.
 */
export async function complete(io: CliIO, flags: CompleteFlags, prompt: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    if (flags.provider) await requireInstalled(factory, flags.provider);
    // The first choice, before any provider was skipped: naming another as the answerer is news.
    const firstChoice = factory.plan(flags.provider).order[0];
    const chain = await factory.createProvider(flags.provider);
    const messages: LLMMessage[] = [...(flags.system ? [{ role: 'system' as const, content: flags.system }] : []), { role: 'user', content: prompt }];
    const options: CallOptions = {
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
      ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
      ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
    };
    let printed = false;
    try {
      const response = await cancelOnInterrupt(io, async (signal) => {
        const stream = chain.streamComplete(messages, { ...options, signal });
        for await (const chunk of stream) {
          if (flags.json) continue;
          io.out(chunk);
          printed = true;
        }
        return stream.response;
      });
      if (flags.json) io.out(`${JSON.stringify(response, null, 2)}\n`);
      else io.out('\n');
      // The answer on stdout stays clean for pipes; who answered, when it was not the first choice, goes to stderr.
      if (!flags.json && (response.provider !== firstChoice || flags.verbose)) io.err(`(answered by ${response.provider}, model ${response.model})\n`);
      return EXIT.OK;
    } catch (error) {
      // Keep the shell prompt off the partial answer's last line.
      if (printed) io.out('\n');
      throw error;
    }
  } finally {
    await factory.dispose();
  }
}

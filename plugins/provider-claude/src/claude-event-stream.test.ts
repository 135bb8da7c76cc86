import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import { ClaudeEventStream } from './claude-event-stream.js';

/** An SDK client whose answer arrives when the test says so. */
function clientAnswering(): { client: Anthropic; answer(response: Response): void } {
  let answer!: (response: Response) => void;
  const pending = new Promise<Response>((resolve) => (answer = resolve));
  const client = { messages: { create: () => ({ asResponse: () => pending }) } } as unknown as Anthropic;
  return { client, answer };
}

const params = { model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], stream: true } as MessageCreateParamsStreaming;
const cancel = { aborted: false, reason: undefined };

describe('ClaudeEventStream', () => {
  it('a consumer that left before the answer arrived gets the end, and the answer is not left open', async () => {
    const { client, answer } = clientAnswering();
    const events = new ClaudeEventStream('claude', client, params, {}, { temperature: 0 }, cancel, undefined);
    const first = events.next();
    await events.return();
    let cancelled = false;
    answer(new Response(new ReadableStream({ cancel: () => void (cancelled = true) }), { status: 200, headers: { 'content-type': 'text/event-stream' } }));
    expect(await first).toEqual({ done: true, value: undefined });
    expect(cancelled).toBe(true);
  });

  it('an answer without a body is a MalformedResponseError', async () => {
    const { client, answer } = clientAnswering();
    const events = new ClaudeEventStream('claude', client, params, {}, { temperature: 0 }, cancel, undefined);
    const first = events.next();
    answer(new Response(null, { status: 200 }));
    await expect(first).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });
});

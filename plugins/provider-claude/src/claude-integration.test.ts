import { describe, expect, it } from 'vitest';
import { createClaude } from './claude-provider.js';

// Runs against the real Anthropic API only when a key is configured; skipped otherwise.
const key = process.env['CLAUDE_API_KEY'];

describe.skipIf(!key)('claude against the real API', () => {
  it('completes, streams, lists models and reports healthy', async () => {
    const claude = createClaude({ maxTokens: 64 });
    try {
      const r = await claude.complete([{ role: 'user', content: 'Reply with the single word: pong' }]);
      expect(r.content.toLowerCase()).toContain('pong');
      expect(r.usage!.outputTokens).toBeGreaterThan(0);
      const streamed = await claude.streamComplete([{ role: 'user', content: 'Count from 1 to 5.' }]).collect();
      expect(streamed.finishReason).toBe('stop');
      expect((await claude.getModels()).length).toBeGreaterThan(0);
      expect((await claude.healthCheck()).status).not.toBe('down');
    } finally {
      await claude.dispose();
    }
  }, 60_000);
});

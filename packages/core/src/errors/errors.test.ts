import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { ERROR_CODES } from './error-codes.js';
import { LLMError } from './llm-error.js';
import { RateLimitError } from './rate-limit-error.js';
import { Secret } from '../secret/secret.js';

describe('typed errors', () => {
  it('every error class has a code listed in ERROR_CODES, and every code has a class', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const classCodes = readdirSync(dir)
      .filter((f) => f.endsWith('-error.ts') && f !== 'llm-error.ts')
      .map((f) => /static readonly code = '([A-Z_]+)'/.exec(readFileSync(`${dir}/${f}`, 'utf8'))?.[1]);
    expect(classCodes.every(Boolean)).toBe(true);
    expect(new Set(classCodes)).toEqual(new Set(Object.keys(ERROR_CODES)));
  });

  it('isInstance works across copies of core (symbol marker and code, not instanceof)', () => {
    // An error built by "another copy": a plain object carrying the global marker and a code.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('autoarr-llm.error')]: true, code: 'RATE_LIMITED' });
    expect(LLMError.isInstance(foreign)).toBe(true);
    expect(RateLimitError.isInstance(foreign)).toBe(true);
    expect(core.QuotaExhaustedError.isInstance(foreign)).toBe(false);
    expect(LLMError.isInstance(new Error('plain'))).toBe(false);
  });

  it('subclasses carry structured fields and serialise without secrets', () => {
    const key = new Secret('sk-ant-canary-1234567890');
    const err = new RateLimitError(`limited for key ${key.reveal()}`, { provider: 'claude', retryAfterMs: 2000, cause: new Error(`upstream saw ${key.reveal()}`) });
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(2000);
    expect(err.status).toBe(429);
    const printed = [err.message, err.stack, inspect(err, { depth: 5 }), JSON.stringify(err)].join('\n');
    expect(printed).not.toContain('sk-ant-canary-1234567890');
    expect(printed).toContain('[redacted]');
  });

  it('NoProviderAvailableError lists every attempt and why', () => {
    const err = new core.NoProviderAvailableError([
      { provider: 'ollama', reason: 'connection refused at http://localhost:11434' },
      { provider: 'claude', reason: 'CLAUDE_API_KEY is not set' },
    ]);
    expect(err.message).toContain('ollama: connection refused');
    expect(err.message).toContain('claude: CLAUDE_API_KEY is not set');
    expect(err.toJSON()).toMatchObject({ code: 'NO_PROVIDER_AVAILABLE', attempts: [{ provider: 'ollama' }, { provider: 'claude' }] });
  });
});

describe('Secret', () => {
  it('masks itself in every printed form', () => {
    const s = new Secret('super-secret-value');
    expect(String(s)).toBe('[redacted]');
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(inspect({ s })).not.toContain('super-secret-value');
    expect(s.reveal()).toBe('super-secret-value');
  });
});

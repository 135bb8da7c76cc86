import { redactSecrets, type Logger } from '@autoarr-llm/core';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { inspect } from 'node:util';

type SdkLogger = NonNullable<ClientOptions['logger']>;

/**
 * The host's logger in the SDK's shape (console-like). Without it the SDK writes to `console`;
 * every line is scrubbed of known secrets on the way, whatever the SDK put in it.
 */
export function toSdkLogger(logger: Logger): SdkLogger {
  const forward = (level: keyof Logger) => (message: string, ...rest: unknown[]) => {
    const text = redactSecrets([message, ...rest.map((r) => (typeof r === 'string' ? r : inspect(r, { depth: 3, breakLength: Infinity })))].join(' '));
    logger[level]({ source: '@anthropic-ai/sdk' }, text);
  };
  return { error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug') };
}

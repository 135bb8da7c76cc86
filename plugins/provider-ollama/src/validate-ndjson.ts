import { OllamaWireError } from './ollama-wire-error.js';

/**
 * Passes an NDJSON body through line by line, failing it with a typed error where ollama-js would
 * not: it skips unparsable lines with a `console.warn`, turns `{"error"}` lines into plain Errors,
 * and reports a connection cut as a generic "terminated".
 */
export function validateNdjson(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  let finished = false;
  // Erroring a stream drops what is queued, so lines before a problem are delivered first.
  let pending: OllamaWireError | undefined;

  const check = (line: string): OllamaWireError | undefined => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return new OllamaWireError('malformed', `Ollama sent a line that is not JSON: ${line.slice(0, 120)}`);
    }
    if (typeof value !== 'object' || value === null) return new OllamaWireError('malformed', `Ollama sent a line that is not a JSON object: ${line.slice(0, 120)}`);
    const obj = value as Record<string, unknown>;
    if (typeof obj['error'] === 'string') return new OllamaWireError('error-line', obj['error']);
    if (obj['done'] === true || obj['status'] === 'success') finished = true;
    return undefined;
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) return controller.error(pending);
      for (;;) {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (error) {
          controller.error(signal.aborted ? error : new OllamaWireError('cut', 'the connection to Ollama closed mid-stream', undefined, undefined, { cause: error }));
          return;
        }
        const lines: string[] = [];
        if (step.done) {
          buffer += decoder.decode();
          if (buffer.trim()) lines.push(buffer);
          buffer = '';
        } else {
          buffer += decoder.decode(step.value, { stream: true });
          const parts = buffer.split('\n');
          buffer = parts.pop() ?? '';
          lines.push(...parts);
        }
        let out = '';
        for (const line of lines) {
          if (!line.trim()) continue;
          const problem = check(line);
          if (problem) {
            await reader.cancel().catch(() => undefined);
            if (!out) return controller.error(problem);
            pending = problem;
            controller.enqueue(encoder.encode(out));
            return;
          }
          out += `${line}\n`;
        }
        if (step.done) {
          if (finished) {
            if (out) controller.enqueue(encoder.encode(out));
            return controller.close();
          }
          const cut = new OllamaWireError('cut', 'the stream from Ollama ended without its final "done" line');
          if (!out) return controller.error(cut);
          pending = cut;
        }
        if (out) return controller.enqueue(encoder.encode(out));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

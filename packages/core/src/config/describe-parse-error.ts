import { extname } from 'node:path';

interface MarkedError {
  name?: string;
  reason?: string;
  mark?: { line?: number; column?: number };
}

/**
 * Why a config file could not be read, without quoting the file: parser messages carry a code frame
 * or a snippet of the text around the error (`apiKey: sk-…`), so only the parser's reason and the
 * position are kept.
 */
export function describeParseError(error: unknown, file: string, text: string | undefined): string {
  const marked = error as MarkedError | undefined;
  // A file system error (missing, a folder, no permission) says nothing of the file's text.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `cannot be read (${code})`;
  const ext = extname(file).toLowerCase();
  if (marked?.name === 'YAMLException' && marked.mark) return `is not valid YAML: ${safeReason(marked.reason)} ${at(marked.mark)}`;
  const isJson = ext === '.json' || file.endsWith('rc') || ext === '';
  if (isJson) return `is not valid JSON${text === undefined ? '' : ` ${positionOf(text)}`}`.trimEnd();
  return `failed to load (${(error as Error | undefined)?.name ?? 'Error'}; run it with node to see where)`;
}

function at(mark: { line?: number; column?: number }): string {
  return `at line ${(mark.line ?? 0) + 1}, column ${(mark.column ?? 0) + 1}`;
}

/** js-yaml reasons are fixed phrases; anything quoted in one is dropped all the same. */
function safeReason(reason: string | undefined): string {
  return (reason ?? 'syntax error').replace(/"[^"]*"|'[^']*'/g, '…');
}

function positionOf(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    // V8 names a position for some errors ("… in JSON at position 12"); its other messages quote the
    // text, so only the number is taken.
    const match = /position (\d+)/.exec((error as Error).message);
    if (!match) return '';
    const before = text.slice(0, Number(match[1]));
    const lines = before.split('\n');
    return at({ line: lines.length - 1, column: (lines[lines.length - 1] ?? '').length });
  }
}

// A text delta as the Messages API sends it: the event the stream is made of (one per chunk of
// text), and the one place where a full JSON.parse per event is most of the provider's own time on
// a stream. JSON whitespace between tokens is allowed (the documentation prints spaces; the API
// sends none); anything else — other keys, another key order, a number or string the pattern does
// not take — is parsed in full as before, so this only ever skips work, never changes a result.
/** JSON's whitespace, and only it (`\s` would also take spaces JSON refuses). */
const W = '[ \\t\\n\\r]*';
const TEXT_DELTA = new RegExp(
  `^\\{${W}"type"${W}:${W}"content_block_delta"${W},${W}"index"${W}:${W}(0|[1-9]\\d{0,8})${W},${W}"delta"${W}:${W}\\{${W}"type"${W}:${W}"text_delta"${W},${W}"text"${W}:${W}"((?:[^"\\\\\\u0000-\\u001f]|\\\\["\\\\/bfnrtu])*)"${W}\\}${W}\\}$`,
);

/** A `content_block_delta` event carrying a `text_delta`, read without parsing the whole event. */
export interface TextDelta {
  index: number;
  text: string;
}

/**
 * The block index and text of a text delta's `data`, or undefined when it does not have exactly
 * that shape (the caller then parses it in full; a malformed escape is left to that parse too).
 */
export function readTextDelta(data: string): TextDelta | undefined {
  const match = TEXT_DELTA.exec(data);
  if (!match) return undefined;
  const literal = match[2] as string;
  if (!literal.includes('\\')) return { index: Number(match[1]), text: literal };
  try {
    return { index: Number(match[1]), text: JSON.parse(`"${literal}"`) as string };
  } catch {
    return undefined;
  }
}

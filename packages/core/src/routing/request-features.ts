import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';

/** What the router knows about a request (computed in microseconds, without a tokenizer). */
export interface RequestFeatures {
  /** Estimated prompt tokens (≈ 4 characters each). */
  tokens: number;
  /** Output tokens asked for (`maxTokens`), when set. */
  maxTokens: number | undefined;
  /** Turns of conversation (user and assistant messages). */
  depth: number;
  /** The prompt holds code (a fenced block, or code-like syntax). */
  code: boolean;
  /** Tools offered to the model. */
  tools: number;
  /** A JSON response format was asked for. */
  json: boolean;
  /** Image parts in the prompt. */
  images: number;
  /** Words that ask for reasoning (why, compare, troubleshoot, design, …) in the last user message. */
  reasoning: string[];
  /** Words that mark a mechanical task (list, extract, translate, summarise in a line, …). */
  trivial: string[];
  /** The configured patterns that matched, with their weights. */
  patterns: Array<{ pattern: string; weight: number }>;
}

// Word stems, matched at word starts (case-insensitive) in the question, not the pasted material.
const REASONING =
  /\b(why|explain|compare|comparison|trade-?offs?|pros and cons|design|architect|troubleshoot|diagnos|debug|root cause|figure out|investigat|analy[sz]|optimi[sz]|strateg|plan |recommend|best way|best approach|should i|what'?s wrong|not working|doesn'?t work|keeps|fails?|failing|broken|conflict|migrat|step[- ]by[- ]step|reason|evaluate|justify|walk me through|how come|tune|fine-tune|balance|prioriti)/gi;
const TRIVIAL = /\b(list|extract|translate|reformat|format|convert|rename|count|what is the|what's the|which port|default port|yes or no|one word|one line|one sentence|tl;?dr|spell|title of|parse)/gi;
const CODE = /```|\b(function|const|let|var|def|import|return|class)\b[^\n]{0,40}[=({:]|[;{}]\s*\n|=>|\$\{|\bregex\b|\bscript\b|\bcurl\b|\bdocker-compose\b/i;
/** The question is looked for in at most this many characters at each end of the last user message. */
const WINDOW = 1_500;

/** The features of one request; `patterns` are the configured ones, compiled once. */
export function requestFeatures(messages: readonly LLMMessage[], options: Pick<ResolvedCallOptions, 'tools' | 'responseFormat' | 'maxTokens'>, patterns: readonly CompiledPattern[] = []): RequestFeatures {
  let chars = 0;
  let depth = 0;
  let images = 0;
  let last = '';
  for (const m of messages) {
    if (m.role === 'user' || m.role === 'assistant') depth++;
    if (typeof m.content === 'string') {
      chars += m.content.length;
      if (m.role === 'user') last = m.content;
      continue;
    }
    let text = '';
    for (const part of m.content) {
      if (part.type === 'text') {
        chars += part.text.length;
        text += part.text;
      } else if (part.type === 'image') {
        images++;
        chars += 64;
      } else chars += 64;
    }
    if (m.role === 'user') last = text;
  }
  const question = last.length <= 2 * WINDOW ? last : `${last.slice(0, WINDOW)}\n${last.slice(-WINDOW)}`;
  const matched: Array<{ pattern: string; weight: number }> = [];
  for (const p of patterns) if (p.regex.test(question)) matched.push({ pattern: p.pattern, weight: p.weight });
  return {
    tokens: Math.ceil(chars / 4) + 4 * messages.length,
    maxTokens: options.maxTokens,
    depth,
    code: CODE.test(question),
    tools: options.tools?.length ?? 0,
    json: options.responseFormat?.type === 'json',
    images,
    reasoning: unique(question.match(REASONING)),
    trivial: unique(question.match(TRIVIAL)),
    patterns: matched,
  };
}

export interface CompiledPattern {
  pattern: string;
  regex: RegExp;
  weight: number;
}

export function compilePatterns(patterns: ReadonlyArray<{ pattern: string; flags: string; weight: number }>): CompiledPattern[] {
  return patterns.map((p) => ({ pattern: p.pattern, regex: new RegExp(p.pattern, p.flags.replace(/g/g, '')), weight: p.weight }));
}

function unique(found: RegExpMatchArray | null): string[] {
  if (!found) return [];
  const out: string[] = [];
  for (const f of found) {
    const w = f.toLowerCase().trim();
    if (!out.includes(w)) out.push(w);
  }
  return out;
}

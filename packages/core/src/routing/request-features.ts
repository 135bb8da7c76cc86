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
  /** The prompt tells of a problem (a contrast or a negation: "finished but nothing shows"). */
  problem: boolean;
  /** Words that mark a mechanical task (list, extract, translate, summarise in a line, …). */
  trivial: string[];
  /** The configured patterns that matched, with their weights. */
  patterns: Array<{ pattern: string; weight: number }>;
}

// Word stems, matched at word starts (case-insensitive) in the question, not the pasted material.
const REASONING =
  /\b(why|explain|compare|comparison|trade-?offs?|pros and cons|design|architect|troubleshoot|diagnos|debug|root cause|figure out|work out|investigat|analy[sz]|optimi[sz]|strateg|plan |recommend|best way|best approach|should (i|a|we)|what'?s wrong|wrong|problem|stuck|not working|doesn'?t work|keeps|fails?|failing|broken|conflict|migrat|step[- ]by[- ]step|reason|evaluate|justify|walk me through|how come|tune|balance|prioriti|decide|write (a|an|me)|generate|produce|good idea|think through|would you|ideas\?|how is that possible|what am i missing|what'?s going on|more likely|how (could|would|should))/gi;
// A problem told in the user's words: a contrast or a negation (it finished *but* nothing shows; files *don't* move).
const PROBLEM = /\b(but|even though|although|however|can'?t|cannot|won'?t|don'?t|doesn'?t|isn'?t|aren'?t|never|nothing|no longer|stopped|anymore|unhealthy|twice|worse)\b/i;
// Mechanical asks: an imperative that opens a sentence (List…, Extract…), or a plain lookup.
const TRIVIAL =
  /(?:^|[.!?:]\s+)(list|extract|pull out|count|translate|convert|turn this|reformat|format this|rename|give me|return|parse|read|transcribe|name|show me|find|search|look up|add a lookup)\b|\b(default port|in one (?:word|line|sentence)|one line summary|yes or no)\b/gim;
const CODE = /```|\b(function|const|let|var|def|import|return|class)\b[^\n]{0,40}[=({:]|[;{}]\s*\n|=>|\$\{|\bregex\b|\bscript\b|\bcurl\b|\bdocker-compose\b/i;
/** The question is looked for in at most this many characters at each end of the last user message. */
const WINDOW = 1_500;
/** Without a paragraph break near an end, this much of it is taken as the ask. */
const EDGE = 300;

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
  const question = questionOf(last);
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
    problem: PROBLEM.test(question),
    trivial: unique(question.match(TRIVIAL)),
    patterns: matched,
  };
}

/**
 * The ask in a long message: its first and last paragraphs (a question usually sits before or
 * after what was pasted), not the pasted log or list itself, whose words are not the user's.
 */
function questionOf(text: string): string {
  if (text.length <= 2 * WINDOW) return text;
  // Searched within each end only: a pasted megabyte must not be scanned for a break it lacks.
  const start = text.slice(0, WINDOW + 2);
  const end = text.slice(-(WINDOW + 2));
  const firstBreak = start.indexOf('\n\n');
  const firstLine = start.indexOf('\n');
  // Without a paragraph break near an end, only that end's first (or last) line can be the ask.
  const head = firstBreak !== -1 ? start.slice(0, firstBreak) : start.slice(0, Math.min(EDGE, firstLine === -1 ? EDGE : firstLine));
  const lastBreak = end.lastIndexOf('\n\n');
  const lastLine = end.lastIndexOf('\n');
  const tail = lastBreak !== -1 ? end.slice(lastBreak + 2) : end.slice(Math.max(end.length - EDGE, lastLine + 1));
  return `${head}\n\n${tail}`;
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

import { readFileSync } from 'node:fs';
import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { ToolDefinition } from '../contract/tool.js';

/** One labelled request of the *arr traffic fixture. */
export interface TrafficEntry {
  id: string;
  kind: string;
  label: 'simple' | 'complex';
  prompt: string;
  note?: string;
  tools?: ToolDefinition[];
  json?: boolean;
  image?: boolean;
  attach?: { type: 'sonarr-log' | 'release-list'; lines: number };
  history?: Array<['user' | 'assistant', string]>;
  maxTokens?: number;
}

/** `arr-traffic.json` (the set the default weights were set on) or `arr-traffic-heldout.json` (never tuned on). */
export function loadTraffic(file: 'arr-traffic.json' | 'arr-traffic-heldout.json' = 'arr-traffic.json'): TrafficEntry[] {
  const raw = JSON.parse(readFileSync(new URL(`./__fixtures__/${file}`, import.meta.url), 'utf8')) as { requests: TrafficEntry[] };
  return raw.requests;
}

// A 1x1 PNG: the router looks at the part, not the picture.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const LEVELS = ['Info', 'Info', 'Debug', 'Warn', 'Info', 'Error'];
const SERIES = ['Severance', 'The Bear', 'Andor', 'Shogun', 'Frieren', 'The Expanse', 'Arcane'];
const GROUPS = ['NTb', 'FLUX', 'FGT', 'SPARKS', 'EDITH', 'SMURF'];

/** A deterministic pasted log or release list of `lines` lines (what `attach` stands for). */
export function attachment(type: 'sonarr-log' | 'release-list', lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const series = SERIES[i % SERIES.length] as string;
    const group = GROUPS[i % GROUPS.length] as string;
    const ep = `S0${(i % 5) + 1}E${String((i % 20) + 1).padStart(2, '0')}`;
    out.push(
      type === 'sonarr-log'
        ? `2026-11-${String((i % 28) + 1).padStart(2, '0')} 0${i % 10}:1${i % 6}:22.${i % 1000}|${LEVELS[i % LEVELS.length]}|DownloadedEpisodesImportService|Import of ${series}.${ep}.1080p.WEB-DL-${group} from /downloads/complete`
        : `${series.replace(/ /g, '.')}.${ep}.${i % 3 === 0 ? '2160p' : '1080p'}.WEB-DL.DDP5.1.H.264-${group}`,
    );
  }
  return out.join('\n');
}

/** The request the entry stands for, as a caller would send it. */
export function requestOf(e: TrafficEntry): { messages: LLMMessage[]; options: ResolvedCallOptions } {
  const messages: LLMMessage[] = (e.history ?? []).map(([role, content]) => ({ role, content }));
  const text = e.attach ? `${attachment(e.attach.type, e.attach.lines)}\n\n${e.prompt}` : e.prompt;
  messages.push(e.image ? { role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } }, { type: 'text', text }] } : { role: 'user', content: text });
  const options: ResolvedCallOptions = { temperature: 0.7 };
  if (e.tools) options.tools = e.tools;
  if (e.json) options.responseFormat = { type: 'json' };
  if (e.maxTokens) options.maxTokens = e.maxTokens;
  return { messages, options };
}

/** The models as the providers report them: Ollama's qwen2.5:7b (tools, no vision, 32k), Claude's (everything, 1M). */
export const TRAFFIC_MODELS: ModelInfo[] = [
  { id: 'qwen2.5:7b', provider: 'ollama', contextLength: 32_768, capabilities: { streaming: true, tools: true, vision: false, json: true } },
  ...['claude-haiku-5-5', 'claude-sonnet-5-5'].map((id) => ({ id, provider: 'claude', contextLength: 1_000_000, capabilities: { streaming: true, tools: true, vision: true, json: true } })),
];

export const TRAFFIC_TIERS = { simple: ['ollama/qwen2.5:7b', 'claude/claude-haiku-5-5'], complex: ['claude/claude-sonnet-5-5'] };

import type { RequestFeatures } from './request-features.js';

/** A score in 0..1 and the signals that made it, for the decision's reason. */
export interface Score {
  score: number;
  signals: string[];
}

/**
 * The default scorer: a weighted sum of the request's features, clamped to 0..1. Reasoning words
 * weigh most (a short question can be hard); size alone weighs little (a long paste with a
 * mechanical ask is still simple), and mechanical-task words pull the score down.
 */
export function scoreFeatures(f: RequestFeatures): Score {
  const signals: string[] = [];
  return { score: scoreWith(f, signals), signals };
}

/** The score alone: what routing computes per call (the signals are worded only when read). */
export function scoreOf(f: RequestFeatures): number {
  return scoreWith(f, undefined);
}

function scoreWith(f: RequestFeatures, signals: string[] | undefined): number {
  let score = 0;
  if (f.reasoning.length > 0) {
    // One clear marker is enough for a hard question: short-but-hard is the case this catches.
    const w = Math.min(0.65, 0.45 + 0.1 * (f.reasoning.length - 1));
    score += w;
    signals?.push(`reasoning (${f.reasoning.slice(0, 3).join(', ')}) +${w.toFixed(2)}`);
  }
  if (f.problem && f.reasoning.length === 0) {
    score += 0.45;
    signals?.push('a problem described +0.45');
  } else if (f.problem) {
    score += 0.1;
    signals?.push('a problem described +0.10');
  }
  if (f.trivial.length > 0) {
    score -= 0.15;
    signals?.push(`mechanical task (${f.trivial.slice(0, 2).join(', ')}) -0.15`);
  }
  if (f.code) {
    score += 0.2;
    signals?.push('code +0.20');
  }
  if (f.tools > 0) {
    const w = f.tools > 2 ? 0.2 : 0.1;
    score += w;
    signals?.push(`${f.tools} tool(s) +${w.toFixed(2)}`);
  }
  if (f.depth > 2) {
    const w = Math.min(0.2, 0.05 * (f.depth - 2));
    score += w;
    signals?.push(`${f.depth} turns +${w.toFixed(2)}`);
  }
  if (f.tokens > 6_000) {
    score += 0.1;
    signals?.push(`~${f.tokens} tokens +0.10`);
  }
  if (f.images > 0) {
    score += 0.05;
    signals?.push(`${f.images} image(s) +0.05`);
  }
  for (const p of f.patterns) {
    score += p.weight;
    signals?.push(`/${p.pattern}/ ${p.weight >= 0 ? '+' : ''}${p.weight.toFixed(2)}`);
  }
  return score < 0 ? 0 : score > 1 ? 1 : score;
}

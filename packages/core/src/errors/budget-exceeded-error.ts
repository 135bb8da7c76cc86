import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** One budget that refused a call: its name, limit and how much was spent and reserved. */
export interface BudgetRefusal {
  budget: string;
  /** The `provider/model` the call would have gone to. */
  candidate: string;
  limit: number;
  spent: number;
  reserved: number;
  /** The worst-case cost of the refused call. */
  needed: number;
  currency: string;
}

/**
 * Every candidate for a call would go over a budget (see `budgets` in the config). `refusals` says
 * which budget refused which candidate. Not retryable now: the budget's period has to roll over,
 * or its limit be raised.
 */
export class BudgetExceededError extends LLMError {
  static readonly code = 'BUDGET_EXCEEDED';
  static override readonly isInstance = isInstanceByCode<BudgetExceededError>(BudgetExceededError.code);
  readonly refusals: BudgetRefusal[];
  constructor(refusals: BudgetRefusal[], options: LLMErrorOptions = {}) {
    const lines = refusals.map((r) => `  - ${r.candidate}: budget "${r.budget}" has ${fmt(r.limit - r.spent - r.reserved)} ${r.currency} left of ${fmt(r.limit)}, the call may cost ${fmt(r.needed)}`);
    super(BudgetExceededError.code, `Every candidate would exceed a budget:\n${lines.join('\n')}`, { retryable: false, ...options });
    this.name = 'BudgetExceededError';
    this.refusals = refusals;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), refusals: this.refusals };
  }
}

function fmt(n: number): string {
  return Math.max(0, n).toFixed(6).replace(/\.?0+$/, '');
}

import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import type { ProviderAttempt } from '../errors/no-provider-available-error.js';
import { chainAttempt, chainExhausted } from '../factory/chain-stream.js';
import { shouldFallBack } from '../factory/should-fall-back.js';
import { toSignal, type CallAbort } from '../pipeline/call-abort-scope.js';
import { isCallAborted } from '../pipeline/call-context.js';
import { ResilientProvider } from '../pipeline/resilient-provider.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { streamEventsOf } from '../stream/stream-event-source.js';
import { stepOptions, type PlanStep, type RoutePlan } from './route-plan.js';

type Step = IteratorResult<StreamEvent, LLMResponse | undefined>;

export interface RoutedStreamMembers {
  prepare(): Promise<RoutePlan>;
  get(name: string): LLMProvider | Promise<LLMProvider>;
  skipped: readonly ProviderAttempt[];
}

/**
 * A routed stream: like the chain's, it moves to the next candidate only before the first event.
 * It also keeps the budget right: the text that arrived is counted, so a stream cut midway (or left
 * by its consumer) settles its estimated cost, never zero, and a finished one its reported cost.
 */
export class RoutedStream implements StreamEventIterator {
  readonly #m: RoutedStreamMembers;
  readonly #messages: LLMMessage[];
  readonly #options: CallOptions;
  readonly #signal: CallAbort;
  #plan: RoutePlan | undefined;
  #index = 0;
  #step: PlanStep | undefined;
  #current: StreamEventIterator | undefined;
  #started = false;
  #ended = false;
  #text = '';
  #attempts: ProviderAttempt[] | undefined;

  constructor(members: RoutedStreamMembers, messages: LLMMessage[], options: CallOptions, signal: CallAbort) {
    this.#m = members;
    this.#messages = messages;
    this.#options = options;
    this.#signal = signal;
  }

  async next(): Promise<Step> {
    if (this.#started) return this.#pass();
    const plan = (this.#plan ??= await this.#m.prepare());
    for (;;) {
      if (!this.#current) {
        if (this.#index >= plan.steps.length) throw plan.exhausted(() => chainExhausted(this.#m.skipped, this.#attempts ?? []));
        const step = plan.steps[this.#index++] as PlanStep;
        const admitted = plan.admit(step);
        if (!(admitted === true || (admitted !== false && (await admitted)))) continue;
        this.#step = step;
        try {
          const member = await this.#m.get(step.provider);
          const options = stepOptions(this.#options, step);
          this.#current = member instanceof ResilientProvider ? member.streamEvents(this.#messages, options, this.#signal) : streamEventsOf(member, this.#messages, options, toSignal(this.#signal));
        } catch (error) {
          this.#fail(plan, step, error);
          continue;
        }
      }
      try {
        const result = await this.#current.next();
        if (!result.done) this.#started = true;
        return this.#seen(result);
      } catch (error) {
        this.#current = undefined;
        this.#fail(plan, this.#step as PlanStep, error);
      }
    }
  }

  async return(): Promise<Step> {
    // The consumer left: what arrived was still generated (and billed).
    this.#cut();
    await this.#current?.return?.(undefined).catch(() => undefined);
    return { done: true, value: undefined };
  }

  async #pass(): Promise<Step> {
    try {
      return this.#seen(await (this.#current as StreamEventIterator).next());
    } catch (error) {
      this.#cut();
      throw error;
    }
  }

  #seen(result: Step): Step {
    if (!result.done) {
      if (result.value.type === 'text') this.#text += result.value.text;
      return result;
    }
    this.#ended = true;
    if (result.value) this.#plan!.succeeded(this.#step as PlanStep, result.value);
    else this.#plan!.cut(this.#step as PlanStep, this.#messages, this.#text);
    return result;
  }

  #cut(): void {
    if (this.#ended || !this.#plan || !this.#step) return;
    this.#ended = true;
    this.#plan.cut(this.#step, this.#messages, this.#text);
  }

  #fail(plan: RoutePlan, step: PlanStep, error: unknown): void {
    plan.failed(step, error);
    if (!shouldFallBack(error) || isCallAborted(this.#options) || this.#signal.aborted) {
      this.#ended = true;
      throw error;
    }
    (this.#attempts ??= []).push(chainAttempt(step.provider, error));
  }
}

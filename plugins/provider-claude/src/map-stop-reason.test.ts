import { describe, expect, it } from 'vitest';
import { mapStopReason } from './map-stop-reason.js';

describe('mapStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['stop_sequence', 'stop-sequence'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['something_new', 'other'],
    [null, 'other'],
  ] as const)('%s → %s', (wire, core) => {
    expect(mapStopReason(wire)).toBe(core);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyNetworkFailure, socketErrorCode } from './network-failure.js';

describe('classifyNetworkFailure', () => {
  it('finds the socket code through fetch-style causes', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(socketErrorCode(refused)).toBe('ECONNREFUSED');
    expect(classifyNetworkFailure(refused)).toEqual({ kind: 'unreachable', code: 'ECONNREFUSED' });
  });

  it('tells a refused connection from one broken mid-answer, and ignores the rest', () => {
    expect(classifyNetworkFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ kind: 'broken', code: 'ECONNRESET' });
    expect(classifyNetworkFailure(new TypeError('terminated'))).toEqual({ kind: 'broken', code: 'terminated' });
    expect(classifyNetworkFailure(new Error('boom'))).toBeUndefined();
    expect(classifyNetworkFailure(undefined)).toBeUndefined();
  });
});

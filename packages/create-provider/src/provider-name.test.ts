import { describe, expect, it } from 'vitest';
import { providerNameProblem, providerNames, scopeProblem } from './provider-name.js';

describe('providerNameProblem', () => {
  it.each(['my-backend', 'llamafile2', 'a', 'x-1-y'])('accepts %s', (name) => {
    expect(providerNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['My-Backend', /lower-case letters, digits and single dashes/],
    ['2fast', /starting with a letter/],
    ['-lead', /single dashes/],
    ['trail-', /single dashes/],
    ['dou--ble', /single dashes/],
    ['under_score', /lower-case letters/],
    ['', /empty/],
    ['x'.repeat(51), /longer than 50/],
    ['autoarr-llm-provider-foo', /not the package name: `create-provider foo`/],
    ['@acme/autoarr-llm-provider-foo', /--scope/],
  ])('refuses %j with a reason', (name, reason) => {
    expect(providerNameProblem(name)).toMatch(reason);
  });
});

describe('providerNames', () => {
  it('derives the package, class, variable and env-var names', () => {
    expect(providerNames('my-backend2')).toEqual({
      name: 'my-backend2',
      packageName: 'autoarr-llm-provider-my-backend2',
      pascalName: 'MyBackend2',
      camelName: 'myBackend2',
      envPrefix: 'MY_BACKEND2',
    });
    expect(providerNames('vllm', '@acme').packageName).toBe('@acme/autoarr-llm-provider-vllm');
  });

  it('checks scopes', () => {
    expect(scopeProblem('@acme')).toBeUndefined();
    expect(scopeProblem('acme')).toMatch(/"@"/);
    expect(scopeProblem('@Acme')).toMatch(/lower-case/);
  });
});

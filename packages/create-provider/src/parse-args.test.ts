import { describe, expect, it } from 'vitest';
import { parseArgs } from './parse-args.js';

describe('parseArgs', () => {
  it('reads the name, --dir and --scope in either form and any order', () => {
    expect(parseArgs(['--scope', '@acme', 'my-backend', '--dir=out/x'])).toEqual({ help: false, name: 'my-backend', dir: 'out/x', scope: '@acme' });
    expect(parseArgs(['-h'])).toMatchObject({ help: true, name: undefined });
  });

  it.each([
    [['a', 'b'], /Only one provider name/],
    [['a', '--dir'], /--dir needs a value/],
    [['a', '--dir', '--scope', '@x'], /--dir needs a value/],
    [['a', '--force'], /Unknown option --force/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultLogPath } from './default-log-path.js';

describe('defaultLogPath: the per-user data folder', () => {
  it('Linux: $XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultLogPath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u')).toBe('/data/autoarr-llm/logs.db');
    expect(defaultLogPath({}, 'linux', '/home/u')).toBe('/home/u/.local/share/autoarr-llm/logs.db');
  });
  it('macOS: Application Support', () => {
    expect(defaultLogPath({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/autoarr-llm/logs.db');
  });
  it('Windows: %LOCALAPPDATA%', () => {
    expect(defaultLogPath({ LOCALAPPDATA: 'C:/Users/u/AppData/Local' }, 'win32', 'C:/Users/u').replaceAll('\\', '/')).toBe('C:/Users/u/AppData/Local/autoarr-llm/logs.db');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLicenseToken } from './read-license-token.js';

const dir = mkdtempSync(join(tmpdir(), 'autoarr-license-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLicenseToken', () => {
  it('reads the token from a regular file', async () => {
    writeFileSync(join(dir, 'license.txt'), '  token-123\n');
    await expect(readLicenseToken({ licenseFile: join(dir, 'license.txt') })).resolves.toBe('token-123');
  });

  it('a FIFO as the license file is a LICENSE_INVALID error at once, not a read that never ends', async () => {
    const fifo = join(dir, 'license.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readLicenseToken({ licenseFile: fifo })).rejects.toMatchObject({ code: 'LICENSE_INVALID', message: expect.stringContaining('is not a regular file') });
  });
});

import { type KeyObject } from 'node:crypto';
import type { LicensePayload } from '../../src/license-payload.js';
/** A key pair made for this test run only, and licenses signed with it. */
export declare function makeTestLicensing(): {
    publicKey: KeyObject;
    publicPem: string;
    issue: (overrides?: Partial<LicensePayload>) => string;
};
//# sourceMappingURL=test-license.d.ts.map
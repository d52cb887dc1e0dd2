import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { applyLocalSettings, resolveSettingReferences } from '../../../local/host/appSettings';

describe('app settings', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'local-settings-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('when both files exist then local.settings.json is used and the environment still wins', () => {
        writeFileSync(join(dir, 'local.settings.json'), JSON.stringify({ Values: { A: 'json', B: 'json' } }));
        writeFileSync(
            join(dir, 'local.settings.sample.json'),
            JSON.stringify({ Values: { A: 'sample', C: 'sample' } }),
        );
        const env: NodeJS.ProcessEnv = { B: 'env' };
        const loaded = applyLocalSettings(dir, env);
        expect(loaded.source).toBe(join(dir, 'local.settings.json'));
        expect(env).toEqual({ A: 'json', B: 'env' });
        expect(loaded.applied).toEqual(['A']);
    });

    test('when only the sample exists then it is used', () => {
        writeFileSync(join(dir, 'local.settings.sample.json'), JSON.stringify({ Values: { C: 'sample' } }));
        const env: NodeJS.ProcessEnv = {};
        applyLocalSettings(dir, env);
        expect(env.C).toBe('sample');
    });

    test('when a binding property holds %NAME% references then they are replaced from the settings', () => {
        expect(resolveSettingReferences('%Q%-%R%', { Q: 'orders', R: 'eu' })).toBe('orders-eu');
        expect(resolveSettingReferences('plain', {})).toBe('plain');
    });

    test('when a reference names a missing setting then it is an error naming the setting', () => {
        expect(() => resolveSettingReferences('%MISSING%', {})).toThrow(/MISSING/);
    });
});

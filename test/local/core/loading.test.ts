import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

import { startHost } from '../../support/host';

const root = resolve(__dirname, '../../..');

describe('loading apps', () => {
    test('when the app is an ES module then it is imported and its functions run', async () => {
        const host = await startHost({ appDir: join(__dirname, '../../apps/esm') });
        try {
            expect(await (await fetch(`${host.baseUrl}/api/esmHello`)).text()).toBe('hello from ESM');
            expect(host.logs()).toMatch(/No local support for trigger 'queueTrigger': 'queueWorker' will not run/);
            expect(host.logs()).toContain('queueWorker: queueTrigger (not run locally)');
        } finally {
            await host.stop();
        }
    });

    test('when package.json main matches no file then the host exits 1 and says so', () => {
        const result = spawnSync(
            process.execPath,
            [
                'dist/local/cli.js',
                'start',
                '--app',
                'test/apps/no-entry',
                '--port',
                '0',
                '--storage',
                'memory',
                '--storage-ports',
                'free',
            ],
            { cwd: root, encoding: 'utf8', timeout: 30_000 },
        );
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('matches no file; is the app built?');
    });

    test('when the command line is wrong then the host prints usage and exits 2', () => {
        const result = spawnSync(process.execPath, ['dist/local/cli.js', 'start', '--storage', 'tape'], {
            cwd: root,
            encoding: 'utf8',
            timeout: 30_000,
        });
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('--storage must be one of disk, memory');
        expect(result.stderr).toContain('Usage: node dist/local/cli.js start');
    });
});

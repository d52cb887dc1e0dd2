import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const appDir = join(__dirname, '../../apps/sb-restart');

const lines = (file: string): string[] =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

test('when the host restarts with an activity in flight then new work can store and enqueue at once (the settings are final before resumed work runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-restart-'));
    const dataDir = join(dir, 'data');
    const launch = () => startHost({ appDir, storage: 'disk', dataDir, env: { RESTART_TEST_DIR: dir } });
    let host: StartedHost | undefined = await launch();
    try {
        const begun = await fetch(`${host.baseUrl}/api/begin`, { method: 'POST', body: 'one' });
        expect(begun.status).toBe(202);
        await waitFor(() => lines(join(dir, 'activity-runs.log')).length === 1, 15_000, 'the activity to start');
        await host.kill('SIGKILL');

        host = await launch();
        // The resumed activity runs again first thing: it read (and cached) the configuration on resuming.
        await waitFor(() => lines(join(dir, 'activity-runs.log')).length === 2, 15_000, 'the activity to resume');
        const statuses = await Promise.all(
            ['a', 'b', 'c', 'd', 'e'].map(async (body) => {
                const res = await fetch(`${host!.baseUrl}/api/enqueue`, { method: 'POST', body });
                return `${res.status} ${await res.text()}`;
            }),
        );
        expect(statuses).toEqual(['202 ', '202 ', '202 ', '202 ', '202 ']);
        await waitFor(() => lines(join(dir, 'received.log')).length === 5, 15_000, 'the messages');
        // The SDK sends a string body JSON-encoded; the trigger gets that text.
        expect(lines(join(dir, 'received.log')).sort()).toEqual(['"a"', '"b"', '"c"', '"d"', '"e"']);
        writeFileSync(join(dir, 'release'), '');
    } finally {
        await host?.stop();
        await removeHostData(dataDir);
        rmSync(dir, { recursive: true, force: true });
    }
}, 90_000);

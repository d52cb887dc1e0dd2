import { join } from 'node:path';

import { type StartedHost, startHost } from '../../support/host';
import { installTestApp } from '../../support/installTestApp';

const VERSIONS = join(__dirname, '../../apps/versions');

/** The same app on the oldest releases the host supports (4.0.0 / 3.0.0) and on the project's own (newest). */
describe.each([
    ['oldest', '4.0.0'],
    ['newest', '4.16.5'],
])('an app on the %s @azure/functions and durable-functions', (folder, functionsVersion) => {
    const appDir = join(VERSIONS, folder);
    let host: StartedHost;

    beforeAll(async () => {
        if (folder === 'oldest') installTestApp(appDir);
        host = await startHost({ appDir });
    }, 120_000);
    afterAll(async () => {
        await host?.stop();
    });

    test('when the app loads then the host runs its own copy of the library', () => {
        expect(host.logs()).toContain(`"programmingModel":"@azure/functions ${functionsVersion}"`);
    });

    test('when an HTTP trigger is called then params, query, headers and URL arrive (no 500)', async () => {
        const res = await fetch(`${host.baseUrl}/api/greet/ada?tag=x`, { headers: { 'x-probe': 'p' } });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({
            name: 'ada',
            tags: 'x',
            header: 'p',
            url: `${host.baseUrl}/api/greet/ada?tag=x`,
        });
    });

    test('when a body is posted then the handler reads it', async () => {
        const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body: JSON.stringify({ n: 1 }) });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ method: 'POST', body: { n: 1 } });
    });

    test('when an activity, a retried activity and a sub-orchestration fail then the orchestrator catches each and goes on', async () => {
        const res = await fetch(`${host.baseUrl}/api/start/catchesFailures`, { method: 'POST' });
        expect(res.status).toBe(200);
        const output = (await res.json()) as { caught: string[]; after: string };
        expect(output.after).toBe('Hello after');
        expect(output.caught).toHaveLength(3);
        expect(output.caught[0]).toMatch(/^activity: .*activity failed on plain/u);
        expect(output.caught[1]).toMatch(/^retried: .*activity failed on retried/u);
        expect(output.caught[2]).toMatch(/^child: .*child failed/u);
    }, 30_000);

    test('when createCheckStatusResponse hands out URLs then they work as they are', async () => {
        const res = await fetch(`${host.baseUrl}/api/check/catchesFailures`, { method: 'POST' });
        expect(res.status).toBe(202);
        const links = (await res.json()) as { statusQueryGetUri: string };
        let status: { runtimeStatus?: string } = {};
        for (let i = 0; i < 100 && status.runtimeStatus !== 'Completed'; i++) {
            await new Promise((r) => setTimeout(r, 100));
            status = (await (await fetch(links.statusQueryGetUri)).json()) as { runtimeStatus?: string };
        }
        expect(status.runtimeStatus).toBe('Completed');
    }, 30_000);
});

import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const appDir = join(__dirname, '../../apps/basic');

async function json(host: StartedHost, path: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${host.baseUrl}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
}

describe('a started host', () => {
    let host: StartedHost;
    beforeAll(async () => {
        host = await startHost({ appDir, env: { OVERRIDDEN: 'from the environment' } });
    });
    afterAll(async () => {
        await host?.stop();
    });

    test('when ready then the banner lists every function with its trigger and URL, then the ready line', () => {
        const logs = host.logs();
        expect(logs).toContain(`item: [GET,PUT] ${host.baseUrl}/api/items/{id:int} (authLevel function)`);
        expect(logs).toContain(`hello: [GET] ${host.baseUrl}/api/hello/{name?} (authLevel anonymous)`);
        expect(logs.indexOf('Functions:')).toBeLessThan(logs.indexOf('LOCAL_HOST_READY'));
        expect(host.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(host.storageConnectionString).toContain('TableEndpoint=http://127.0.0.1:');
    });

    test('when a setting is in the environment and in local.settings then the environment wins', async () => {
        const settings = await json(host, '/api/settings');
        expect(settings.overridden).toBe('from the environment');
        expect(settings.greeting).toBe('hello from local.settings');
    });

    test('when the app says UseDevelopmentStorage=true on free ports then it gets the host Azurite', async () => {
        const settings = await json(host, '/api/settings');
        expect(settings.storage).toBe(host.storageConnectionString);
        expect(settings.websiteHostname).toBe(host.baseUrl.replace('http://', ''));
        const table = TableClient.fromConnectionString(String(settings.storage), 'ProbeFromTest', {
            allowInsecureConnection: true,
        });
        await table.createTable();
        await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', n: 1 });
        expect((await table.getEntity('p', 'r')).n).toBe(1);
    });

    test('when functions run then hooks run: appStart once, pre/post per call, handler and result replaced', async () => {
        const res = await fetch(`${host.baseUrl}/api/hooked`);
        expect(res.headers.get('x-wrapped-by')).toBe('preInvocation');
        expect(await res.json()).toEqual({ handler: true, post: 'hooked' });
        const state = await json(host, '/api/hookState');
        expect(state.appStarted).toBe(1);
        expect(state.pre).toBe(state.post);
        expect(state.pre as number).toBeGreaterThanOrEqual(2);
    });

    test('when postInvocation clears the error then the invocation succeeds with its result', async () => {
        const res = await fetch(`${host.baseUrl}/api/rescued`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('rescued by postInvocation');
    });

    test('when the handler logs then log hooks see the message first and the host writes the result', async () => {
        expect(await (await fetch(`${host.baseUrl}/api/logs`)).text()).toBe('logged');
        const logs = host.logs();
        expect(logs).toContain('[logs] user log with [redacted] inside');
        expect(logs).not.toContain('secret-token');
        expect(logs).toMatch(/WARN \[logs\] a warning from the handler/);
    });

    test('when a function runs then one log line names it with its id, duration and outcome', async () => {
        await fetch(`${host.baseUrl}/api/text`);
        expect(host.logs()).toMatch(/Executed 'Functions\.text' \(Succeeded, Id=[0-9a-f-]{36}, Duration=\d+ms\)/);
    });
});

describe('settings files', () => {
    let dir: string;
    let host: StartedHost | undefined;
    beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), 'local-host-app-'));
        cpSync(appDir, dir, { recursive: true });
        symlinkSync(resolve(__dirname, '../../../node_modules'), join(dir, 'node_modules'), 'dir');
        const sample = JSON.parse(readFileSync(join(dir, 'local.settings.sample.json'), 'utf8'));
        sample.Values.GREETING = 'hello from local.settings.json';
        writeFileSync(join(dir, 'local.settings.json'), JSON.stringify(sample));
    });
    afterAll(async () => {
        await host?.stop();
        await removeHostData(dir);
    });

    test('when the app has local.settings.json then it is used instead of the sample', async () => {
        host = await startHost({ appDir: dir });
        expect((await json(host, '/api/settings')).greeting).toBe('hello from local.settings.json');
    });
});

describe('shutdown', () => {
    test('when the host gets SIGTERM then it runs appTerminate, releases storage and exits 0', async () => {
        const host = await startHost({ appDir });
        const tablePort = /TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)/.exec(host.storageConnectionString)?.[1];
        expect(await host.stop()).toBe(0);
        expect(host.logs()).toContain('APP_TERMINATE_HOOK_RAN startedAt=app-start');
        await expect(fetch(`http://127.0.0.1:${tablePort}/`)).rejects.toThrow();
        await expect(fetch(`${host.baseUrl}/api/hello`)).rejects.toThrow();
    });

    test('when the host is stopped during a request then that request still gets its answer', async () => {
        const host = await startHost({ appDir });
        try {
            const pending = fetch(`${host.baseUrl}/api/slow`);
            await waitFor(() => host.logs().includes('[slow] slow request started'), 10_000, 'the slow handler');
            const exited = host.stop();
            const res = await pending;
            expect(res.status).toBe(200);
            expect(await res.text()).toBe('slow but complete');
            expect(await exited).toBe(0);
            // The app hears of the shutdown only after its in-flight invocation finished.
            const logs = host.logs();
            expect(logs.indexOf("Executed 'Functions.slow'")).toBeLessThan(logs.indexOf('APP_TERMINATE_HOOK_RAN'));
        } finally {
            await host.kill('SIGKILL');
        }
    });

    test('when the host gets SIGINT then it also exits 0', async () => {
        const host = await startHost({ appDir });
        expect(await host.kill('SIGINT')).toBe(0);
    });
});

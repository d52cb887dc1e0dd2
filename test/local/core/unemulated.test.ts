import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';

import { hostCliPath, type StartedHost, startHost, waitFor } from '../../support/host';

const appDir = join(__dirname, '../../apps/unemulated');
let host: StartedHost;

beforeAll(async () => {
    // The app sets no LOCAL_FUNCTION_KEY and none of TWILIO_FROM_NUMBER, GREETING_BLOB, QUEUE_NAME.
    host = await startHost({ appDir, env: { LOCAL_FUNCTION_KEY: '' } });
    // Warnings go to stderr, which may be read after the ready line on stdout.
    await waitFor(() => host.logs().includes('storageProvider'), 5000, 'the start-up warnings');
});
afterAll(async () => {
    await host?.stop();
});

const lines = (pattern: RegExp): string[] =>
    host
        .logs()
        .split('\n')
        .filter((line) => pattern.test(line));

describe('what the local host does not run', () => {
    test('when a binding the host does not run refers to an unset setting then the host starts and warns once, naming function and binding', () => {
        const warnings = lines(/refers to app setting 'TWILIO_FROM_NUMBER'/u);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/WARN Function 'notify', binding '\S+' \(twilioSms\) refers to app setting/u);
        expect(warnings[0]).toMatch(/does not run this binding, so it does not need it/u);
        expect(lines(/refers to app setting 'GREETING_BLOB'/u)).toHaveLength(1);
        expect(lines(/refers to app setting 'QUEUE_NAME'/u)).toHaveLength(1);
    });

    test('when a function has bindings the host does not emulate then the listing says so next to it', () => {
        const listed = lines(/^ {4}notify: /u);
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatch(/\(not run locally: (blob input, twilioSms output|twilioSms output, blob input)\)$/u);
        expect(lines(/^ {4}queued: queueTrigger \(not run locally\)$/u)).toHaveLength(1);
        expect(
            lines(/WARN Function 'notify': bindings the local host does not run, so they do nothing here/u),
        ).toHaveLength(1);
    });

    test('when the function runs then its unemulated input is empty and its unemulated output goes nowhere', async () => {
        const res = await fetch(`${host.baseUrl}/api/notify`, { method: 'POST' });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ greeting: null });
    });

    test('when app.setup asks for HTTP streams or host.json names a durable storage provider then the start says it is not applied', () => {
        expect(lines(/WARN app\.setup\(\{ enableHttpStream: true \}\) is not applied here/u)).toHaveLength(1);
        expect(
            lines(/WARN host\.json durableTask\.storageProvider \(azureManaged\) is not applied here/u),
        ).toHaveLength(1);
    });
});

describe('as Azure runs it', () => {
    test('when the app resolves a relative path then it resolves against the app folder, wherever the host was started', async () => {
        const res = await fetch(`${host.baseUrl}/api/workingDirectory`);
        expect(await res.json()).toEqual({ cwd: realpathSync(appDir), greeting: 'hello from the app folder' });
    });

    test('when the app sets no LOCAL_FUNCTION_KEY then function-level routes run without a key, as under Core Tools, and the start says so', async () => {
        expect(host.functionKey).toBe('');
        expect(lines(/Authorization is off, as in Core Tools/u)).toHaveLength(1);
        expect((await fetch(`${host.baseUrl}/api/notify?code=anything`, { method: 'POST' })).status).toBe(200);
    });
});

describe('a setting a binding the host runs needs', () => {
    test('when it is not set then the start fails with one message naming function, binding and setting, no stack trace', () => {
        const app = join(__dirname, '../../apps/missing-setting');
        const args = [
            'start',
            '--app',
            app,
            '--port',
            '0',
            '--storage',
            'memory',
            '--storage-ports',
            'free',
            '--sb-port',
            '0',
        ];
        const result = spawnSync(process.execPath, [hostCliPath(), ...args], { encoding: 'utf8', timeout: 30_000 });
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(
            /Host failed to start: Function 'reports', binding '\S+' \(httpTrigger\): Binding expression '%REPORTS_ROUTE_NOT_SET%' refers to app setting 'REPORTS_ROUTE_NOT_SET', which is not set/u,
        );
        expect(result.stderr).not.toMatch(/\n\s+at /u);
    });
});

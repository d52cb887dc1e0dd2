import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startHost } from '../support/host';

const ROOT = resolve(__dirname, '../..');

describe('the app on the local host with a bad configuration', () => {
    it('when pipeline.json and a target are wrong then the host does not start, and says every problem, no secret', async () => {
        const config = JSON.parse(readFileSync(join(ROOT, 'config', 'pipeline.json'), 'utf8')) as {
            delivery: Record<string, unknown>;
        };
        config.delivery.timeoutSeconds = -5;
        const path = join(mkdtempSync(join(tmpdir(), 'bad-config-e2e-')), 'pipeline.json');
        writeFileSync(path, JSON.stringify(config));

        const start = startHost({
            appDir: ROOT,
            env: {
                PIPELINE_CONFIG_PATH: path,
                LEAD_WEBHOOK_URL: 'http://[::1',
                LEAD_WEBHOOK_SECRET: 'short-secret',
                LOCAL_FUNCTION_KEY: 'bad-config-key',
            },
        });

        const failure = await start.then(
            async (host) => {
                await host.stop();
                return 'started';
            },
            (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
        expect(failure).toMatch(/Host exited with 1 before it was ready/u);
        expect(failure).toMatch(/Invalid configuration:/u);
        expect(failure).toMatch(/pipeline\.delivery\.timeoutSeconds/u);
        expect(failure).not.toMatch(/short-secret/u);
    }, 60_000);

    it('when only a target is wrong then the host does not start either, naming the target options', async () => {
        const failure = await startHost({
            appDir: ROOT,
            env: { LEAD_WEBHOOK_URL: 'not-a-url', LEAD_WEBHOOK_SECRET: 'short', LOCAL_FUNCTION_KEY: 'bad-config-key' },
        }).then(
            async (host) => {
                await host.stop();
                return 'started';
            },
            (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );

        expect(failure).toMatch(/targets\.leadWebhook\.options\.url: must be an http\(s\) URL/u);
        expect(failure).toMatch(/targets\.leadWebhook\.options\.secret: must be at least 16 characters/u);
    }, 60_000);
});

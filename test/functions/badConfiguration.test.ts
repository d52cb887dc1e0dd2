// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HttpRequest, InvocationContext } from '@azure/functions';

import { createTargetsHealth } from '../../functions/targetsHealth';
import { createTarget } from '../../shared/adapters/createTarget';
import { checkTargetsHealth } from '../../shared/app/checkTargetsHealth';
import { loadConfig } from '../../shared/config';
import { ConfigError } from '../../shared/domain';
import { checkConfiguration } from '../../shared/startupCheck';
import type * as FunctionsCore from '../fakes/functionsCore';
import { fixture } from './helpers';
import { pipelineHarness } from './pipelineHarness';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bad-config-'));
const defaults = JSON.parse(readFileSync(join(ROOT, 'config', 'pipeline.json'), 'utf8')) as {
    targets: Record<string, { options: Record<string, unknown> }>;
};
const settings = {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    ServiceBusConnection:
        'Endpoint=sb://127.0.0.1;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true;',
};
function pipelineFile(name: string, edit: (config: typeof defaults) => void): string {
    const config = JSON.parse(JSON.stringify(defaults)) as typeof defaults;
    edit(config);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
}

/** The defects of issue 18 item 6, every one in an enabled target. */
const badTargets = {
    ...settings,
    PIPELINE_CONFIG_PATH: pipelineFile('bad-targets.json', (c) => {
        c.targets.leadWebhook!.options.timeoutSeconds = -5;
    }),
    LEAD_WEBHOOK_URL: 'not-a-url',
    LEAD_WEBHOOK_SECRET: '8-chars!',
    DYNAMICS_URL: 'garbage',
    DYNAMICS_TENANT_ID: 'tenant',
    DYNAMICS_CLIENT_ID: 'client',
    DYNAMICS_CLIENT_SECRET: 'secret',
};

describe('a bad configuration', () => {
    it('when pipeline.json is broken and a setting is missing then the start-up check names every problem at once', () => {
        const broken = join(dir, 'broken.json');
        writeFileSync(broken, '{ "version": "x", ');

        const { problems } = checkConfiguration({
            AzureWebJobsStorage: settings.AzureWebJobsStorage,
            PIPELINE_CONFIG_PATH: broken,
        });

        expect(problems.map((p) => p.path)).toEqual(['ServiceBusConnection', 'PIPELINE_CONFIG_PATH']);
        expect(problems[1]!.message).toMatch(/cannot read .*broken\.json/u);
    });

    it('when enabled targets have bad options then the start-up check lists each, with the messages the health check gives', async () => {
        const { problems } = checkConfiguration(badTargets);
        const paths = problems.map((p) => p.path);

        expect(paths).toEqual(
            expect.arrayContaining([
                'targets.leadWebhook.options.url',
                'targets.leadWebhook.options.secret',
                'targets.leadWebhook.options.timeoutSeconds',
                'targets.dynamics.options.environmentUrl',
            ]),
        );
        const config = loadConfig(badTargets);
        const report = await checkTargetsHealth({
            config,
            target: (name) =>
                createTarget(name, config.pipeline.targets[name]!, {
                    setting: config.setting,
                    logger: { debug() {}, info() {}, warn() {}, error() {} },
                    now: () => new Date(),
                    fetch: () => Promise.reject(new Error('no network in this test')),
                    rateGovernor: { acquire: () => Promise.reject(new Error('not used')) },
                }),
            now: () => new Date(),
            logger: { debug() {}, info() {}, warn() {}, error() {} },
        });
        const health = Object.fromEntries(report.targets.map((t) => [t.target, t.message ?? '']));
        for (const p of problems) {
            const target = p.path.split('.')[1]!;
            expect(health[target]).toContain(`${p.path}: ${p.message}`);
        }
        expect(report.ok).toBe(false);
    });

    it('when a target setting holds an unresolved Key Vault reference then the app starts with a warning and the target is off', () => {
        const reference = '@Microsoft.KeyVault(VaultName=kv-x;SecretName=hubspot-token)';

        const check = checkConfiguration({ ...settings, HUBSPOT_TOKEN: reference });

        expect(check.problems).toEqual([]);
        expect(check.warnings).toEqual([
            expect.stringMatching(/^Target hubspot is off: .*Key Vault reference.*HUBSPOT_TOKEN/u),
        ]);
        expect(check.warnings.join()).not.toContain('kv-x');
    });

    it('when assignment with an SLA is on and the link key is missing or short then the app starts and says there is no link', () => {
        const path = pipelineFile('assignment.json', (config) => {
            (config as unknown as { assignment: { enabled: boolean } }).assignment.enabled = true;
        });
        const off = checkConfiguration({ ...settings, PIPELINE_CONFIG_PATH: path });
        expect(off.problems).toEqual([]);
        expect(off.warnings).toEqual(['ASSIGNMENT_ACK_KEY is not set: notifications carry no acknowledgement link']);
        const short = checkConfiguration({ ...settings, PIPELINE_CONFIG_PATH: path, ASSIGNMENT_ACK_KEY: 'short' });
        expect(short.warnings).toEqual([expect.stringMatching(/^ASSIGNMENT_ACK_KEY is shorter than 32 characters/u)]);
        const good = checkConfiguration({
            ...settings,
            PIPELINE_CONFIG_PATH: path,
            ASSIGNMENT_ACK_KEY: 'k'.repeat(32),
        });
        expect(good.warnings).toEqual([]);
        // The shipped example team is off: no warning.
        expect(checkConfiguration(settings).warnings).toEqual([]);
    });

    it('when a URL is "http://[::1" then it is refused, not called "ok"', () => {
        const { problems } = checkConfiguration({
            ...settings,
            LEAD_WEBHOOK_URL: 'http://[::1',
            LEAD_WEBHOOK_SECRET: 'a-secret-of-twenty-chars',
        });

        expect(problems).toEqual([{ path: 'targets.leadWebhook.options.url', message: 'must be an http(s) URL' }]);
    });

    it('when the app starts with a bad configuration then its appStart hook fails with one ConfigError naming every problem', () => {
        const saved = { ...process.env };
        Object.assign(process.env, badTargets);
        try {
            jest.isolateModules(() => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module registry of this test only
                const core = require('@azure/functions-core') as typeof FunctionsCore;
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading it registers the hooks
                require('../../shared/composition');
                // The last one: this file's imports registered the composition of the outer module registry too.
                const appStart = core.hooks.filter((h) => h.name === 'appStart').at(-1);

                expect(appStart).toBeDefined();
                let thrown: unknown;
                try {
                    appStart!.callback({});
                } catch (err) {
                    thrown = err;
                }
                // This registry's own ConfigError class: compare by name.
                expect((thrown as Error).name).toBe('ConfigError');
                expect((thrown as ConfigError).message).toMatch(/targets\.leadWebhook\.options\.secret/u);
                expect((thrown as ConfigError).message).toMatch(/targets\.dynamics\.options\.environmentUrl/u);
                expect((thrown as ConfigError).message).not.toMatch(/8-chars!|garbage/u);
            });
        } finally {
            process.env = saved;
        }
    });

    it('when a target cannot be built at delivery time then the lead ends failed after one attempt naming the option, not stalled', async () => {
        const h = pipelineHarness(['leadWebhook'], {}, () => {
            throw new ConfigError([
                { path: 'targets.leadWebhook.options.secret', message: 'must be at least 16 characters' },
            ]);
        });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        const record = await h.deps.leads.get(leadId);
        expect(run.output).toMatchObject({ status: 'failed' });
        expect(record!.status).toBe('failed');
        expect(record!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'failed',
            attempts: 1,
            lastError: 'ConfigError: targets.leadWebhook.options.secret: must be at least 16 characters',
        });
    });

    it('when the health check cannot load the configuration then it answers 503 naming the problems, never a bare 500', async () => {
        const health = createTargetsHealth(() => {
            throw new ConfigError([{ path: 'AzureWebJobsStorage', message: 'is not set' }]);
        });

        const res = await health(
            new HttpRequest({ method: 'GET', url: 'http://x/api/targets/health' }),
            new InvocationContext(),
        );

        expect(res).toEqual({
            status: 503,
            jsonBody: {
                error: { code: 'not-configured', message: 'The app is not configured correctly.' },
                problems: [{ path: 'AzureWebJobsStorage', message: 'is not set' }],
            },
            headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
        });
    });
});

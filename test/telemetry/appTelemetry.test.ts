import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { postLead, SECRET, testPipelineConfig, waitForFinal } from '../e2e/support/pipelineHost';
import { startWebhookReceiver } from '../e2e/support/webhookReceiver';
import { type StartedHost, startHost, waitFor } from '../support/host';
import { type Envelope, haveOpenssl, startLoopbackIngestion } from './loopbackIngestion';

/*
 * The app as the host loads it: every compiled function file (`package.json` main, `dist/functions/*.js`). Telemetry
 * must start from that load alone, before any instrument exists, and must load nothing when it is off.
 */
const root = join(__dirname, '../..');
const functionsDir = join(root, 'dist/functions');
const built = existsSync(functionsDir);

const loadAppScript = `
const Module = require('node:module');
const hooks = [];
// The worker's core API, as the real worker provides it: it records which hooks the app registers.
const core = {
  setProgrammingModel() {}, log() {},
  registerHook(name) { hooks.push(name); return { dispose() {} }; },
  registerFunction() { return { dispose() {} }; },
};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === '@azure/functions-core' ? request : resolveFilename.call(this, request, ...rest);
};
require.cache['@azure/functions-core'] = { id: '@azure/functions-core', filename: '@azure/functions-core', loaded: true, exports: core };
const dir = ${JSON.stringify(functionsDir)};
for (const f of require('node:fs').readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) require(dir + '/' + f);
const sdk = Object.keys(require.cache).filter((k) => /@opentelemetry[\\\\/](sdk-|resources|context-async-hooks)|monitor-opentelemetry-exporter/.test(k));
const { pipelineMetrics } = require(${JSON.stringify(join(root, 'dist/shared/telemetry/pipelineMetrics.js'))});
process.stdout.write(JSON.stringify({ hooks, sdkModules: sdk.length, counter: pipelineMetrics().leadsReceived.constructor.name }));
process.exit(0);`;

function loadApp(connectionString: string) {
    const result = spawnSync(process.execPath, ['-e', loadAppScript], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
        env: {
            ...process.env,
            APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
            APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        },
        timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`loading the app failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout) as { hooks: string[]; sdkModules: number; counter: string };
}

const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe('telemetry when the compiled app loads', () => {
    (built ? it : it.skip)(
        'when no connection string is set, then no SDK module is loaded and no hook is registered',
        () => {
            const off = loadApp('');
            expect(off.sdkModules).toBe(0);
            expect(off.counter).toMatch(/Noop/u);
            const on = loadApp(
                'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
            );
            expect(count(on.hooks, 'preInvocation') - count(off.hooks, 'preInvocation')).toBe(1);
            expect(count(on.hooks, 'appTerminate') - count(off.hooks, 'appTerminate')).toBe(1);
        },
    );

    (built ? it : it.skip)(
        'when a connection string is set, then the SDK is registered before the first instrument, which records',
        () => {
            const on = loadApp(
                'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
            );
            expect(on.sdkModules).toBeGreaterThan(0);
            expect(on.counter).not.toMatch(/Noop/u);
            expect(on.hooks).toEqual(expect.arrayContaining(['preInvocation', 'appTerminate']));
        },
    );
});

describe('one trace per lead on the local host (Azure Monitor exporter, loopback ingestion)', () => {
    const runnable = built && haveOpenssl && existsSync(join(root, 'dist/local/cli.js'));
    let ingestion: Awaited<ReturnType<typeof startLoopbackIngestion>> | undefined;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
    let host: StartedHost | undefined;
    let configDir: string | undefined;

    beforeAll(async () => {
        if (!runnable) return;
        ingestion = await startLoopbackIngestion();
        receiver = await startWebhookReceiver(SECRET);
        configDir = mkdtempSync(join(tmpdir(), 'telemetry-e2e-'));
        host = await startHost({
            appDir: root,
            env: {
                APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
                APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
                NODE_TLS_REJECT_UNAUTHORIZED: '0',
                LEAD_WEBHOOK_URL: receiver.url,
                LEAD_WEBHOOK_SECRET: SECRET,
                PIPELINE_CONFIG_PATH: testPipelineConfig(configDir),
                LOCAL_FUNCTION_KEY: 'telemetry-key',
            },
        });
    }, 60_000);

    afterAll(async () => {
        await host?.stop();
        await receiver?.stop();
        await ingestion?.stop();
        if (configDir) rmSync(configDir, { recursive: true, force: true });
    });

    (runnable ? it : it.skip)(
        'when a lead goes webhook → Service Bus → starter → decide, deliver and record activities, then their spans share one trace id',
        async () => {
            const body = JSON.stringify({
                userDetails: { email: 'trace@contoso.com', company: 'Contoso' },
                actionCode: 'INS',
                offerTitle: 'Telemetry',
            });
            const posted = await postLead(host!, body);
            expect(posted.status).toBe(202);
            expect((await waitForFinal(host!, posted.leadId!)).status).toBe('delivered');

            const spanName = (e: Envelope) => e.data?.baseData?.name ?? '';
            const leadId = posted.leadId!;
            const ofLead = (e: Envelope) => e.data?.baseData?.properties?.['lead.id'] === leadId;
            const stages: [string, (e: Envelope) => boolean][] = [
                ['webhook', (e) => spanName(e) === 'marketplace.callback'],
                ['starter', (e) => e.data?.baseData?.properties?.['messaging.message.id'] === leadId],
                ['decide activity', (e) => spanName(e) === 'lead.decide' && ofLead(e)],
                ['deliver activity', (e) => spanName(e) === 'lead.deliver' && ofLead(e)],
                ['record-outcome activity', (e) => spanName(e) === 'lead.record_outcome' && ofLead(e)],
            ];
            // Spans are batched (every 5 s), so wait until each stage has arrived.
            const spans = await waitFor(
                () => {
                    const found = stages.map(([, is]) => ingestion!.envelopes.find(is));
                    return found.every((e) => e !== undefined) ? found : undefined;
                },
                30_000,
                `spans of ${stages.map(([stage]) => stage).join(', ')}`,
            ).catch((err: Error) => {
                const seen = ingestion!.envelopes.map((e) => `${e.name ?? '?'}:${spanName(e)}`);
                throw new Error(`${err.message}; received ${seen.join(', ') || 'nothing'}`);
            });
            const [webhook, starter, decide, , record] = spans;
            expect(new Set(spans.map((e) => e.tags?.['ai.operation.id'])).size).toBe(1);
            expect(webhook!.tags?.['ai.operation.id']).toMatch(/^[0-9a-f]{32}$/u);
            // Across the Service Bus hop the starter's parent is the webhook's span itself.
            expect(starter!.tags?.['ai.operation.parentId']).toBe(webhook!.data?.baseData?.id);
            // The consumer span arrives as a named request, with the messaging attributes as properties.
            expect(starter!.name).toBe('Microsoft.ApplicationInsights.Request');
            expect(spanName(starter!)).toBe('lead.start_pipeline');
            expect(starter!.data?.baseData?.properties).toMatchObject({
                'messaging.system': 'servicebus',
                'messaging.destination.name': 'lead-events',
                'messaging.operation': 'process',
            });
            // The activities run in later invocations; the orchestration input's carrier parents them to the starter.
            expect(decide!.tags?.['ai.operation.parentId']).toBe(starter!.data?.baseData?.id);
            expect(record!.tags?.['ai.operation.parentId']).toBe(starter!.data?.baseData?.id);
            expect(JSON.stringify(ingestion!.envelopes)).not.toMatch(/trace@contoso/u);
        },
        60_000,
    );
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { haveOpenssl, startLoopbackIngestion } from './loopbackIngestion';

/*
 * The real Azure Monitor exporter behind our setup (one OTel SDK 2.x copy shared by both), sending to a loopback
 * stand-in for the ingestion endpoint. The exporter forces https, so the stand-in uses a throw-away self-signed
 * certificate and the exporting side runs in a child process with certificate checks off (loopback only).
 */
const root = join(__dirname, '../..');
const dist = join(root, 'dist/shared/telemetry');
const runnable = haveOpenssl && existsSync(join(dist, 'setupTelemetry.js'));

let ingestion: Awaited<ReturnType<typeof startLoopbackIngestion>> | undefined;

beforeAll(async () => {
    if (runnable) ingestion = await startLoopbackIngestion();
});

afterAll(async () => {
    await ingestion?.stop();
});

const exporterScript = `
const { setupTelemetry } = require(${JSON.stringify(join(dist, 'setupTelemetry.js'))});
const { withSpan, SpanKind } = require(${JSON.stringify(join(dist, 'withSpan.js'))});
const { pipelineMetrics } = require(${JSON.stringify(join(dist, 'pipelineMetrics.js'))});
const telemetry = setupTelemetry({ connectionString: process.env.CS, serviceName: 'lead-pipeline-test' });
(async () => {
  await withSpan('deliverToTarget', { target: 'dynamics', email: 'jane@contoso.com' }, () =>
    withSpan('POST dynamics', { 'http.request.method': 'POST' }, async () => {}, { kind: SpanKind.CLIENT }));
  pipelineMetrics().leadsReceived.add(1, { channel: 'https', phone: '+1 425 555 0100' });
  await telemetry.shutdown();
})().catch((e) => { console.error(String(e)); process.exit(1); });`;

describe('export to Application Insights (Azure Monitor exporter, loopback ingestion)', () => {
    (runnable ? it : it.skip)(
        'when the app flushes spans and metrics, then envelopes reach the ingestion endpoint without personal data',
        async () => {
            const child = spawn(process.execPath, ['-e', exporterScript], {
                cwd: root,
                stdio: ['ignore', 'pipe', 'pipe'],
                env: {
                    ...process.env,
                    CS: ingestion!.connectionString,
                    NODE_TLS_REJECT_UNAUTHORIZED: '0',
                    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
                },
            });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
            expect(stderr.replace(/.*NODE_TLS_REJECT_UNAUTHORIZED.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
            expect(code).toBe(0);

            const all = [...ingestion!.requests, ...ingestion!.envelopes.map((e) => JSON.stringify(e))].join('\n');
            expect(all).toMatch(/\/track/);
            expect(all).toContain('deliverToTarget');
            expect(all).toContain('leads.received');
            expect(all).toContain('lead-pipeline-test');
            expect(all).not.toMatch(/jane|contoso|425 555/i);
        },
    );
});

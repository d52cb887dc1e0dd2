import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/*
 * The real Azure Monitor exporter behind our setup (one OTel SDK 2.x copy shared by both), sending to a loopback
 * stand-in for the ingestion endpoint. The exporter forces https, so the stand-in uses a throw-away self-signed
 * certificate and the exporting side runs in a child process with certificate checks off (loopback only).
 */
const root = join(__dirname, '../..');
const dist = join(root, 'dist/shared/telemetry');
const haveOpenssl = spawnSync('sh', ['-c', 'command -v openssl'], { stdio: 'pipe' }).status === 0;
const runnable = haveOpenssl && existsSync(join(dist, 'setupTelemetry.js'));

const received: string[] = [];
let server: Server | undefined;
let certDir: string | undefined;

beforeAll(async () => {
    if (!runnable) return;
    certDir = mkdtempSync(join(tmpdir(), 'ingest-'));
    const made = spawnSync(
        'openssl',
        [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
            '-addext',
            'subjectAltName=IP:127.0.0.1',
            '-keyout',
            join(certDir, 'key.pem'),
            '-out',
            join(certDir, 'cert.pem'),
        ],
        { stdio: 'pipe' },
    );
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    server = createServer(
        { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
        (req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
                const raw = Buffer.concat(chunks);
                const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
                received.push(`${req.method} ${req.url}\n${body.toString('utf8')}`);
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
            });
        },
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const exporterScript = `
const { setupTelemetry } = require(${JSON.stringify(join(dist, 'setupTelemetry.js'))});
const { withSpan, pipelineMetrics, SpanKind } = require(${JSON.stringify(join(dist, 'index.js'))});
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
            const { port } = server!.address() as AddressInfo;
            const child = spawn(process.execPath, ['-e', exporterScript], {
                cwd: root,
                stdio: ['ignore', 'pipe', 'pipe'],
                env: {
                    ...process.env,
                    CS: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:${port}/`,
                    NODE_TLS_REJECT_UNAUTHORIZED: '0',
                    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
                },
            });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
            expect(stderr.replace(/.*NODE_TLS_REJECT_UNAUTHORIZED.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
            expect(code).toBe(0);

            const all = received.join('\n');
            expect(all).toMatch(/\/track/);
            expect(all).toContain('deliverToTarget');
            expect(all).toContain('leads.received');
            expect(all).toContain('lead-pipeline-test');
            expect(all).not.toMatch(/jane|contoso|425 555/i);
        },
    );
});

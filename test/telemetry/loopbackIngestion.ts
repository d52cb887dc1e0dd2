import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One Application Insights envelope as the Azure Monitor exporter sends it (only the fields the tests read). */
export interface Envelope {
    name?: string;
    tags?: Record<string, string>;
    data?: { baseType?: string; baseData?: { id?: string; name?: string; properties?: Record<string, string> } };
}

export const haveOpenssl = spawnSync('sh', ['-c', 'command -v openssl'], { stdio: 'pipe' }).status === 0;

/**
 * A loopback stand-in for the Application Insights ingestion endpoint. The exporter insists on https, so it serves a
 * throw-away self-signed certificate; the exporting process needs `NODE_TLS_REJECT_UNAUTHORIZED=0` (loopback only).
 */
export async function startLoopbackIngestion() {
    const certDir = mkdtempSync(join(tmpdir(), 'ingest-'));
    const made = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
            '-addext',
            'subjectAltName=IP:127.0.0.1',
            '-keyout',
            join(certDir, 'key.pem'),
            '-out',
            join(certDir, 'cert.pem'),
        ]),
        { stdio: 'pipe' },
    );
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    const envelopes: Envelope[] = [];
    /** `<method> <path>` of every request, in arrival order. */
    const requests: string[] = [];
    const server = createServer(
        { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
        (req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
                requests.push(`${req.method} ${req.url}`);
                const raw = Buffer.concat(chunks);
                const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
                let count = 0;
                try {
                    const parsed = JSON.parse(text) as Envelope | Envelope[];
                    const batch = Array.isArray(parsed) ? parsed : [parsed];
                    envelopes.push(...batch);
                    count = batch.length;
                } catch {
                    // Newline-delimited JSON is the exporter's other format.
                    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
                        envelopes.push(JSON.parse(line) as Envelope);
                        count++;
                    }
                }
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
            });
        },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:${port}/`,
        envelopes,
        requests,
        async stop(): Promise<void> {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            rmSync(certDir, { recursive: true, force: true });
        },
    };
}

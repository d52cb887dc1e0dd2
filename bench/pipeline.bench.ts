/**
 * The whole pipeline on the local host with disk storage: 1,000 leads posted by 50 concurrent callers to the
 * webhook, delivered to a signed-webhook receiver. Prints leads/s end to end, webhook latency p50/p99, and per lead:
 * the app's storage operations (counted by an HTTP proxy between the app and Azurite) and function executions
 * (counted from the host's invocation log at debug level, which includes orchestrator episodes). The host's own durable/Service Bus stand-in storage is not Azure's and
 * is not counted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startDemoHost } from '../scripts/demo/demoHost';
import { startLocalInbox } from '../scripts/localInbox';

const ROOT = resolve(__dirname, '../..');
const LEADS = Number(process.env.BENCH_LEADS ?? 1000);
const CALLERS = 50;
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Forwards to Azurite once its port is known, counting requests per service and operation. */
async function countingProxy(service: string, counts: Map<string, number>) {
    let upstream: number | undefined;
    const server: Server = createServer((req, res) => {
        const op = `${service} ${req.method} ${/\$batch/u.test(req.url ?? '') ? 'batch' : ''}`.trim();
        counts.set(op, (counts.get(op) ?? 0) + 1);
        const out = request(
            { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers },
            (up) => {
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
            },
        );
        out.on('error', () => res.writeHead(502).end());
        req.pipe(out);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        port: (server.address() as AddressInfo).port,
        setUpstream: (port: number) => (upstream = port),
        close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
    };
}

const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
    const counts = new Map<string, number>();
    const proxies = {
        blob: await countingProxy('blob', counts),
        queue: await countingProxy('queue', counts),
        table: await countingProxy('table', counts),
    };
    const proxied =
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
        `BlobEndpoint=http://127.0.0.1:${proxies.blob.port}/devstoreaccount1;` +
        `QueueEndpoint=http://127.0.0.1:${proxies.queue.port}/devstoreaccount1;` +
        `TableEndpoint=http://127.0.0.1:${proxies.table.port}/devstoreaccount1;`;
    const secret = randomBytes(24).toString('hex');
    const receiver = await startLocalInbox(secret);
    const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-bench-'));
    const host = await startDemoHost(
        ROOT,
        {
            LEAD_WEBHOOK_URL: receiver.url,
            LEAD_WEBHOOK_SECRET: secret,
            AzureWebJobsStorage: proxied,
            MarketplaceLeadsStorage: proxied,
            MARKETPLACE_TABLE_POLL_SCHEDULE: '0 0 0 1 1 *',
            // Orchestrator episodes log their Executed line at debug level only.
            LOCAL_HOST_LOG_LEVEL: 'debug',
        },
        { storage: 'disk', dataDir },
    );
    for (const m of host.storageConnectionString.matchAll(/(Blob|Queue|Table)Endpoint=http:\/\/[^:]+:(\d+)/gu)) {
        proxies[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'].setUpstream(Number(m[2]));
    }
    const url = `${host.baseUrl}/api/marketplace/leads?code=${host.functionKey}`;
    try {
        const latencies: number[] = [];
        const ids = new Set<string>();
        let next = 0;
        const started = Date.now();
        await Promise.all(
            Array.from({ length: CALLERS }, async () => {
                while (next < LEADS) {
                    const i = next++;
                    const body = JSON.stringify({
                        userDetails: {
                            email: `bench${i}@contoso.com`,
                            company: 'Contoso',
                            title: 'CTO',
                            country: 'US',
                        },
                        actionCode: 'PLT',
                        leadSource: 'SPZA-PLT|contoso.contoso-analytics',
                        offerTitle: 'Contoso Analytics',
                    });
                    const t0 = performance.now();
                    const res = await fetch(url, { method: 'POST', body });
                    latencies.push(performance.now() - t0);
                    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
                    ids.add(((await res.json()) as { leadId: string }).leadId);
                }
            }),
        );
        const accepted = Date.now();
        const deadline = Date.now() + 15 * 60_000;
        const recorded = () => (host.logs().match(/Lead outcome recorded/gu) ?? []).length;
        while (recorded() < LEADS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
        const finished = Date.now();
        const done = recorded();
        const delivered = [...ids].filter((id) => receiver.deliveries(id) === 1).length;
        const executions = new Map<string, number>();
        let episodes = 0;
        // Trigger and activity invocations log at information level, orchestrator episodes at debug level.
        for (const m of host.logs().matchAll(/\](?<debug> DEBUG)? Executed 'Functions\.(?<fn>\w+)'/gu)) {
            const fn = m.groups!.fn!;
            executions.set(fn, (executions.get(fn) ?? 0) + 1);
            if (m.groups!.debug !== undefined) episodes++;
        }
        const totalExec = [...executions.values()].reduce((a, b) => a + b, 0);
        const totalOps = [...counts.values()].reduce((a, b) => a + b, 0);
        const sorted = [...latencies].sort((a, b) => a - b);
        console.log(
            `leads: ${LEADS} posted by ${CALLERS} concurrent callers; ${done} completed, ${delivered} delivered exactly once`,
        );
        console.log(
            `intake: ${(LEADS / ((accepted - started) / 1000)).toFixed(1)} leads/s accepted (202) in ${((accepted - started) / 1000).toFixed(1)} s`,
        );
        console.log(
            `end to end: ${(done / ((finished - started) / 1000)).toFixed(1)} leads/s (first post → last outcome recorded, ${((finished - started) / 1000).toFixed(1)} s)`,
        );
        console.log(
            `webhook latency at ${CALLERS} callers: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
        );
        console.log(`app storage operations: ${(totalOps / LEADS).toFixed(1)} per lead (${totalOps} total)`);
        for (const [op, n] of [...counts.entries()].sort())
            console.log(`    ${op.padEnd(16)} ${(n / LEADS).toFixed(2)} per lead`);
        console.log(
            `function executions: ${(totalExec / LEADS).toFixed(1)} per lead (triggers, activities and ${(episodes / LEADS).toFixed(1)} orchestrator episodes)`,
        );
        for (const [fn, n] of [...executions.entries()].sort())
            console.log(`    ${fn.padEnd(24)} ${(n / LEADS).toFixed(2)} per lead`);
        if (done < LEADS) process.exitCode = 1;
    } finally {
        await host.stop();
        await receiver.stop();
        await Promise.all(Object.values(proxies).map((p) => p.close()));
        rmSync(dataDir, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});

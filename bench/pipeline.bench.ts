/**
 * The whole pipeline on the local host with disk storage, delivered to a signature-verifying webhook receiver, in
 * four phases on one host:
 *
 * 1. the storage-bound limit: Azurite's own operations/s on a mix like the pipeline's (16 callers), measured first;
 * 2. click to CRM: one lead at a time on the idle host, callback posted → delivery arrived at the receiver;
 * 3. acknowledgement latency at an open-loop arrival rate (20 leads/s for 60 s: posts go out on schedule whatever
 *    the answers do) while the pipeline drains;
 * 4. throughput: 1,000 leads posted by 50 concurrent callers, end to end (first post → every lead delivered and its
 *    outcome recorded), printed beside the storage-bound limit (Azurite operations/s ÷ every storage operation a
 *    lead costs, the host's own included) and with each lead's function executions and storage operations.
 *
 * Storage operations are counted twice: the app's (an HTTP proxy between the app and Azurite, per table and verb)
 * and all of them (Azurite's access log, `LOCAL_STORAGE_ACCESS_LOG`): the difference is the host's durable store and
 * Service Bus stand-in. What the same durable work costs on Azure's Storage backend is derived from the counted
 * episodes, activities and instances with the model in `scripts/costEstimate.ts`.
 *
 * `BENCH_APP=<dir>` runs another build of the app (a checkout with its own `dist/`) on this host: the same run can
 * then measure a baseline. `BENCH_LEADS`, `BENCH_CLICKS`, `BENCH_OPEN_SECONDS`, `BENCH_OPEN_RATE` size the phases.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { durableStorageOperations } from '../scripts/costEstimate';
import { startDemoHost } from '../scripts/demo/demoHost';
import { startLocalInbox } from '../scripts/localInbox';

const ROOT = resolve(__dirname, '../..');
const APP = resolve(process.env.BENCH_APP ?? ROOT);
const LEADS = Number(process.env.BENCH_LEADS ?? 1000);
const CLICKS = Number(process.env.BENCH_CLICKS ?? 50);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 60);
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 20);
const CALLERS = 50;
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Forwards to Azurite once its port is known, counting requests per service, table and verb. */
async function countingProxy(service: string, counts: Map<string, number>) {
    let upstream: number | undefined;
    const server: Server = createServer((req, res) => {
        const op = operationOf(service, req.method ?? '', req.url ?? '');
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

/** `table GET Leads`, `table batch`, `queue POST lead-events`: the resource without keys, so counts group. */
function operationOf(service: string, method: string, url: string): string {
    const path = decodeURIComponent(url.split('?')[0] ?? '').replace(/^\/devstoreaccount1\/?/u, '');
    if (path.includes('$batch')) return `${service} batch`;
    const resource = path.split(/[(/]/u)[0] ?? '';
    return `${service} ${method} ${resource}`.trim();
}

/** Every request Azurite logged since `from` (bytes), as operation counts, plus the rows of Durable instances. */
function accessLogSince(file: string, from: number): { ops: Map<string, number>; instances: Set<string> } {
    const text = readFileSync(file).subarray(from).toString();
    const ops = new Map<string, number>();
    const instances = new Set<string>();
    for (const m of text.matchAll(/^(\w+) \S+ - \S+ \[[^\]]*\] "(\w+) (\S+) [^"]*"/gmu)) {
        const op = operationOf(m[1]!, m[2]!, m[3]!);
        ops.set(op, (ops.get(op) ?? 0) + 1);
        const row = /Instances\(PartitionKey='instance',RowKey='([^']+)'\)/u.exec(decodeURIComponent(m[3]!));
        // The local durable store's row key is the instance id URI-encoded (TableDurableStore): decode it once more.
        if (row !== null && m[2] === 'PUT') instances.add(decodeURIComponent(row[1]!));
    }
    return { ops, instances };
}

const sizeOf = (file: string) => {
    try {
        return statSync(file).size;
    } catch {
        return 0;
    }
};
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/**
 * Azurite's throughput on the operations a lead costs (an entity-group transaction, a partition query, a point
 * upsert and a merge), 16 callers for `seconds`: the ceiling every storage-bound figure is compared with.
 */
async function storageThroughput(connectionString: string, seconds: number): Promise<number> {
    const client = TableClient.fromConnectionString(connectionString, 'BenchProbe', { allowInsecureConnection: true });
    await client.createTable();
    let ops = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
            for (let i = 0; Date.now() < until; i++) {
                const pk = `p${worker}-${i}`;
                await client.submitTransaction([
                    ['create', { partitionKey: pk, rowKey: 'lead', body: 'x'.repeat(1500) }],
                    ['create', { partitionKey: pk, rowKey: 'h_1', kind: 'received' }],
                ]);
                for await (const e of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${pk}'` } }))
                    void e;
                await client.upsertEntity({ partitionKey: `m${worker}`, rowKey: pk, status: 'received' }, 'Merge');
                await client.upsertEntity({ partitionKey: pk, rowKey: 'lead', status: 'delivered' }, 'Merge');
                ops += 4;
            }
        }),
    );
    await client.deleteTable();
    return ops / seconds;
}

function leadBody(tag: string, i: number): string {
    return JSON.stringify({
        userDetails: { email: `${tag}${i}@contoso.com`, company: 'Contoso', title: 'CTO', country: 'US' },
        actionCode: 'PLT',
        leadSource: 'SPZA-PLT|contoso.contoso-analytics',
        offerTitle: 'Contoso Analytics',
    });
}

async function main(): Promise<void> {
    const appOps = new Map<string, number>();
    const proxies = {
        blob: await countingProxy('blob', appOps),
        queue: await countingProxy('queue', appOps),
        table: await countingProxy('table', appOps),
    };
    const proxied =
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
        `BlobEndpoint=http://127.0.0.1:${proxies.blob.port}/devstoreaccount1;` +
        `QueueEndpoint=http://127.0.0.1:${proxies.queue.port}/devstoreaccount1;` +
        `TableEndpoint=http://127.0.0.1:${proxies.table.port}/devstoreaccount1;`;
    const secret = randomBytes(24).toString('hex');
    const arrived = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const receiver = await startLocalInbox(secret, {
        onDelivery: ({ leadId }) => {
            if (!arrived.has(leadId)) arrived.set(leadId, performance.now());
            waiting.get(leadId)?.();
        },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-bench-'));
    const accessLog = join(dataDir, 'storage-access.log');
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
            LOCAL_STORAGE_ACCESS_LOG: accessLog,
        },
        { storage: 'disk', dataDir, app: APP },
    );
    for (const m of host.storageConnectionString.matchAll(/(Blob|Queue|Table)Endpoint=http:\/\/[^:]+:(\d+)/gu)) {
        proxies[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'].setUpstream(Number(m[2]));
    }
    const url = `${host.baseUrl}/api/marketplace/leads?code=${host.functionKey}`;
    const post = async (body: string): Promise<{ leadId: string; ackMs: number }> => {
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', body });
        const ackMs = performance.now() - t0;
        if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
        return { leadId: ((await res.json()) as { leadId: string }).leadId, ackMs };
    };
    // Counted as the log grows (a scan of the whole log every poll would cost the machine more than the host does).
    let scanned = 0;
    let recordedCount = 0;
    const recorded = () => {
        const logs = host.logs();
        const from = Math.max(0, scanned - 64);
        const fresh = logs.slice(from);
        const before = (logs.slice(from, scanned).match(/Lead outcome recorded/gu) ?? []).length;
        recordedCount += (fresh.match(/Lead outcome recorded/gu) ?? []).length - before;
        scanned = logs.length;
        return recordedCount;
    };
    const waitUntil = async (done: () => boolean, minutes: number) => {
        const deadline = Date.now() + minutes * 60_000;
        while (!done() && Date.now() < deadline) await sleep(100);
        return done();
    };
    try {
        console.log(
            `app: ${APP === ROOT ? 'this build' : APP}; host: this build; load average ${loadavg()[0]!.toFixed(2)}`,
        );

        // 1. The storage-bound limit, before any lead, on the host's own Azurite.
        const storageOpsPerSecond = await storageThroughput(host.storageConnectionString, 4);

        // Warm-up: first invocations load modules and create tables.
        for (let i = 0; i < 5; i++) {
            const { leadId } = await post(leadBody('warm', i));
            await waitUntil(() => arrived.has(leadId), 1);
        }

        // 2. Click to CRM, one lead at a time on the idle host.
        const clicks: number[] = [];
        const clickAcks: number[] = [];
        for (let i = 0; i < CLICKS; i++) {
            await sleep(200);
            const t0 = performance.now();
            const { leadId, ackMs } = await post(leadBody('click', i));
            clickAcks.push(ackMs);
            if (!arrived.has(leadId)) await new Promise<void>((r) => waiting.set(leadId, r));
            clicks.push(arrived.get(leadId)! - t0);
        }
        await waitUntil(() => recorded() >= 5 + CLICKS, 1);

        // 3. Acknowledgement latency at an open-loop arrival rate.
        const openAcks: number[] = [];
        const openIds: string[] = [];
        const openCount = OPEN_SECONDS * OPEN_RATE;
        const openStart = performance.now();
        let lateMs = 0;
        const inFlight: Promise<void>[] = [];
        for (let i = 0; i < openCount; i++) {
            const due = openStart + (i * 1000) / OPEN_RATE;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
            else lateMs = Math.max(lateMs, -wait);
            inFlight.push(
                post(leadBody('open', i)).then(({ leadId, ackMs }) => {
                    openAcks.push(ackMs);
                    openIds.push(leadId);
                }),
            );
        }
        await Promise.all(inFlight);
        const openPosted = performance.now();
        await waitUntil(() => openIds.every((id) => arrived.has(id)), 10);
        const openDrained = Math.max(...openIds.map((id) => arrived.get(id) ?? NaN));
        await waitUntil(() => recorded() >= 5 + CLICKS + openCount, 2);
        await sleep(2000);

        // 4. Throughput, with every operation and execution counted from here on.
        appOps.clear();
        const logFrom = sizeOf(accessLog);
        const hostLogFrom = host.logs().length;
        const ids = new Set<string>();
        let next = 0;
        const started = performance.now();
        const acks: number[] = [];
        await Promise.all(
            Array.from({ length: CALLERS }, async () => {
                while (next < LEADS) {
                    const { leadId, ackMs } = await post(leadBody('bench', next++));
                    acks.push(ackMs);
                    ids.add(leadId);
                }
            }),
        );
        const accepted = performance.now();
        const before = 5 + CLICKS + openCount;
        await waitUntil(() => arrived.size >= 5 + CLICKS + openCount + LEADS && recorded() >= before + LEADS, 15);
        const finished = performance.now();
        const done = recorded() - before;
        // Let trailing durable writes (the last episodes) land before counting.
        await sleep(3000);
        const all = accessLogSince(accessLog, logFrom);
        const delivered = [...ids].filter((id) => receiver.deliveries(id) === 1).length;
        const executions = new Map<string, number>();
        let episodes = 0;
        for (const m of host
            .logs()
            .slice(hostLogFrom)
            .matchAll(/\](?<debug> DEBUG)? Executed 'Functions\.(?<fn>\w+)'/gu)) {
            const fn = m.groups!.fn!;
            executions.set(fn, (executions.get(fn) ?? 0) + 1);
            if (m.groups!.debug !== undefined) episodes++;
        }
        const perLead = (n: number) => (n / LEADS).toFixed(2);
        const totalExec = total(executions);
        const appTotal = total(appOps);
        const allTotal = total(all.ops);
        const endToEnd = done / ((finished - started) / 1000);
        const storageBound = storageOpsPerSecond / (allTotal / LEADS);
        const activities = [...executions.entries()]
            .filter(([fn]) => !/Pipeline$|Delivery$/u.test(fn) && fn !== 'marketplaceLeadWebhook')
            .filter(([fn]) => fn !== 'leadEventStarter')
            .reduce((a, [, n]) => a + n, 0);
        // A lead's run is `lead-<id>`, its delivery sub-orchestrations `lead-<id>:<target>` (shared/names.ts).
        const leadInstances = [...all.instances].filter((i) => i.startsWith('lead-'));
        const pipelineInstances = leadInstances.filter((i) => !i.includes(':')).length;
        const azureDurable = durableStorageOperations({
            starts: pipelineInstances / LEADS,
            subOrchestrations: (leadInstances.length - pipelineInstances) / LEADS,
            episodes: episodes / LEADS,
            activities: activities / LEADS,
            timers: 0,
        });

        console.log(`\nmachine: ${String(loadavg()[0]!.toFixed(2))} load average (1 min) at the end; 2 cores shared`);
        console.log(`storage-bound limit: Azurite ${storageOpsPerSecond.toFixed(0)} table operations/s (16 callers)`);
        console.log(
            `\nclick to CRM (idle host, one lead at a time, ${CLICKS} leads): p50 ${ms(percentile(clicks, 50))}, p99 ${ms(percentile(clicks, 99))} (ack p50 ${ms(percentile(clickAcks, 50))})`,
        );
        console.log(
            `acknowledgement at ${OPEN_RATE} leads/s open loop for ${OPEN_SECONDS} s: p50 ${ms(percentile(openAcks, 50))}, p99 ${ms(percentile(openAcks, 99))}, max ${ms(Math.max(...openAcks))}; sender late by at most ${ms(lateMs)}; drained ${((openDrained - openPosted) / 1000).toFixed(1)} s after the last post`,
        );
        console.log(
            `\nthroughput: ${LEADS} leads by ${CALLERS} concurrent callers; ${done} recorded, ${delivered} delivered exactly once`,
        );
        console.log(
            `  end to end ${endToEnd.toFixed(1)} leads/s (${((finished - started) / 1000).toFixed(1)} s); storage-bound limit ${storageBound.toFixed(1)} leads/s; ratio ${(endToEnd / storageBound).toFixed(2)}`,
        );
        console.log(
            `  intake ${(LEADS / ((accepted - started) / 1000)).toFixed(1)} leads/s accepted; ack at ${CALLERS} callers p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))} (queueing on 2 cores)`,
        );
        console.log(
            `\nfunction executions: ${perLead(totalExec)} per lead (${perLead(episodes)} orchestrator episodes)`,
        );
        for (const [fn, n] of [...executions.entries()].sort()) console.log(`    ${fn.padEnd(24)} ${perLead(n)}`);
        console.log(`app storage operations: ${perLead(appTotal)} per lead`);
        for (const [op, n] of [...appOps.entries()].sort()) console.log(`    ${op.padEnd(40)} ${perLead(n)}`);
        const hostOps = new Map<string, number>();
        for (const [op, n] of all.ops) {
            const own = n - (appOps.get(op) ?? 0);
            if (own > 0) hostOps.set(op, own);
        }
        console.log(
            `local host's own storage operations (durable store, Service Bus stand-in): ${perLead(total(hostOps))} per lead`,
        );
        for (const [op, n] of [...hostOps.entries()].sort()) console.log(`    ${op.padEnd(40)} ${perLead(n)}`);
        console.log(`every storage operation: ${perLead(allTotal)} per lead`);
        console.log(
            `Durable on Azure Storage for the same work (model, scripts/costEstimate.ts): ${azureDurable.total.toFixed(1)} per lead, ${azureDurable.table.toFixed(1)} table + ${azureDurable.queue.toFixed(1)} queue (${azureDurable.detail})`,
        );
        if (done < LEADS || delivered < LEADS) process.exitCode = 1;
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

/**
 * The lead console's list at 100,000 stored leads: the first page of `GET /api/leads` and `POST /api/leads/query`
 * (filters, an email search, a company search) on the local host with Azurite, beside the same requests at 1,000
 * leads and a direct table read of one page from the same run. Index rows are written with the adapter's own row
 * builders (`indexEntity`, `leadIndexColumns`, `decisionIndexColumns`, `completionIndexColumns`) over leads parsed by
 * the domain's parser, spread over the last 12 months, as the pipeline writes them.
 * Run: `npm run bench -- consoleList` (BENCH_LEADS=100000, BENCH_ROUNDS=15).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { TableClient, type TransactionAction } from '@azure/data-tables';

import {
    completionIndexColumns,
    decisionIndexColumns,
    indexEntity,
    leadIndexColumns,
} from '../shared/adapters/tables/leadIndex';
import { parseMarketplaceCallback } from '../shared/domain/index';

const ROOT = resolve(__dirname, '../..');
const CLI = resolve(ROOT, 'dist/local/cli.js');
const TOTAL = Number(process.env.BENCH_LEADS ?? 100_000);
const BASELINE = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const KEY = 'bench-key';
const YEAR_MS = 365 * 86_400_000;

interface Host {
    baseUrl: string;
    storage: string;
    stop(): Promise<void>;
}

async function startHost(): Promise<Host> {
    const args = [CLI, 'start', '--app', ROOT, '--port', '0', '--storage', 'memory', '--storage-ports', 'free'];
    const child = spawn(process.execPath, [...args, '--sb-port', '0', '--ready-line'], {
        env: { ...process.env, LOCAL_FUNCTION_KEY: KEY, LEAD_WEBHOOK_URL: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const ready = await new Promise<Record<string, string>>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const m = /LOCAL_HOST_READY (\{.*\})/u.exec(out);
            if (m?.[1]) done(JSON.parse(m[1]) as Record<string, string>);
        });
        void exited.then(() => fail(new Error(`host exited before ready:\n${out}`)));
    });
    return {
        baseUrl: ready.baseUrl!,
        storage: ready.storageConnectionString!,
        stop: async () => {
            child.kill('SIGTERM');
            await exited;
        },
    };
}

const companies = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Woodgrove', 'Litware', 'Adatum', 'Proseware'];
const actions = ['PLT', 'INS', 'Create', 'StartTestDrive'];

/** Lead `n` of the seeded set, received `ageMs` before now. Lead 4242 is the one person the searches look for. */
function seededRow(n: number, now: number, ageMs: number) {
    const company = n === 4242 ? 'Dvořák Stavby s.r.o.' : `${companies[n % companies.length]} ${n % 500}`;
    const lead = parseMarketplaceCallback(
        JSON.stringify({
            userDetails: {
                firstName: `Person${n}`,
                lastName: 'Bench',
                email: `person${n}@bench-${n % 997}.example`,
                company,
            },
            leadSource: `SPZA-${actions[n % actions.length]}|contoso.offer${n % 5}`,
            actionCode: actions[n % actions.length],
            offerTitle: `Offer ${n % 5}`,
            description: 'bench',
        }),
        { receivedAt: new Date(now - ageMs).toISOString() },
    );
    const grade = ['A', 'B', 'C', 'D'][n % 4]!;
    const at = new Date(now - ageMs + 1500).toISOString();
    return {
        ...indexEntity(lead.leadKey, lead.receivedAt, lead.channel, 'delivered', at),
        ...leadIndexColumns(lead),
        ...decisionIndexColumns({
            configVersion: 'bench',
            decidedAt: lead.receivedAt,
            qualification: { outcome: 'qualified', reasons: [] },
            score: { points: 100 - (n % 4) * 25, grade, breakdown: [] },
            route: { mode: 'all-matching', matchedRules: [], usedDefault: false, targets: [] },
        }),
        ...completionIndexColumns(
            [{ target: 'leadWebhook', role: 'notify', status: 'delivered', attempts: 1, updatedAt: at }],
            at,
        ),
    };
}

/** Writes leads [from, to) in entity-group transactions of 100 (one partition each), 4 at a time. */
async function seed(table: TableClient, from: number, to: number, now: number): Promise<void> {
    const byPartition = new Map<string, Record<string, unknown>[]>();
    for (let n = from; n < to; n++) {
        // Newest first in n: lead 0 is the most recent, the last one a year old.
        const row = seededRow(n, now, Math.floor((n / TOTAL) * YEAR_MS) + 60_000);
        const rows = byPartition.get(row.partitionKey) ?? [];
        rows.push(row);
        byPartition.set(row.partitionKey, rows);
    }
    const batches: Record<string, unknown>[][] = [];
    for (const rows of byPartition.values())
        for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
    let next = 0;
    await Promise.all(
        Array.from({ length: 4 }, async () => {
            while (next < batches.length) {
                const batch = batches[next++]!;
                await table.submitTransaction(batch.map((e): TransactionAction => ['upsert', e as never, 'Replace']));
            }
        }),
    );
}

async function timed(run: () => Promise<number>): Promise<{ median: number; p95: number; rows: number }> {
    const times: number[] = [];
    let rows = 0;
    await run(); // warm
    for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        rows = await run();
        times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.ceil(times.length * 0.95) - 1]!, rows };
}

async function main(): Promise<void> {
    const host = await startHost();
    try {
        const table = TableClient.fromConnectionString(host.storage, 'PipelineLeadsByTime', {
            allowInsecureConnection: true,
        });
        await table.createTable();
        const now = Date.now();
        const headers = { 'x-functions-key': KEY, 'content-type': 'application/json' };
        const list = async (path: string) => {
            const res = await fetch(`${host.baseUrl}/api/${path}`, { headers });
            if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
            return ((await res.json()) as { items: unknown[] }).items.length;
        };
        const query = async (body: Record<string, unknown>) => {
            const res = await fetch(`${host.baseUrl}/api/leads/query`, {
                method: 'POST',
                headers,
                body: JSON.stringify(body),
            });
            if (res.status !== 200) throw new Error(`query: ${res.status} ${await res.text()}`);
            const page = (await res.json()) as { items: unknown[]; continuationToken?: string };
            return { rows: page.items.length, token: page.continuationToken };
        };
        const direct = async () => {
            const page = await table
                .listEntities({
                    queryOptions: {
                        filter: `PartitionKey eq '${new Date(now).toISOString().slice(0, 7).replace('-', '')}'`,
                    },
                })
                .byPage({ maxPageSize: 50 })
                .next();
            return page.done === true ? 0 : page.value.length;
        };
        let secondPage: string | undefined;
        const cases: [string, () => Promise<number>][] = [
            ['GET /api/leads, first page of 50', () => list('leads?limit=50')],
            ['POST /api/leads/query, first page of 50', async () => (await query({ limit: 50 })).rows],
            [
                '  … second page (continuation token)',
                async () => {
                    secondPage ??= (await query({ limit: 50 })).token;
                    return (await query({ limit: 50, continuationToken: secondPage })).rows;
                },
            ],
            ['  … grade A', async () => (await query({ limit: 50, grade: 'A' })).rows],
            [
                '  … action install + offer "Offer 3"',
                async () => (await query({ limit: 50, action: 'install', offer: 'Offer 3' })).rows,
            ],
            [
                '  … search by email (one lead in all)',
                async () => (await query({ limit: 50, search: 'Person4242@bench-254.example' })).rows,
            ],
            [
                '  … search by company "contoso 12" (1 in 500)',
                async () => (await query({ limit: 50, search: 'contoso 12' })).rows,
            ],
            ['table query alone, one page of 50 (baseline)', direct],
        ];
        const results: Record<string, Record<number, Awaited<ReturnType<typeof timed>>>> = {};
        for (const [count, from] of [
            [BASELINE, 0],
            [TOTAL, BASELINE],
        ] as const) {
            const started = performance.now();
            await seed(table, from, count, now);
            secondPage = undefined;
            console.log(
                `seeded ${count.toLocaleString('en')} leads (${((performance.now() - started) / 1000).toFixed(1)} s)`,
            );
            for (const [name, run] of cases) (results[name] ??= {})[count] = await timed(run);
        }
        console.log(
            `\n${ROUNDS} rounds each, median / p95 in ms (rows returned); the second column is the target case\n`,
        );
        console.log(
            `${'request'.padEnd(48)} ${`${BASELINE.toLocaleString('en')} leads`.padStart(22)} ${`${TOTAL.toLocaleString('en')} leads`.padStart(22)}`,
        );
        const cell = (r: Awaited<ReturnType<typeof timed>>) =>
            `${r.median.toFixed(0)} / ${r.p95.toFixed(0)} (${r.rows})`.padStart(22);
        for (const [name] of cases)
            console.log(`${name.padEnd(48)} ${cell(results[name]![BASELINE]!)} ${cell(results[name]![TOTAL]!)}`);
        const first = results['GET /api/leads, first page of 50']![TOTAL]!;
        console.log(
            `\nfirst page at ${TOTAL.toLocaleString('en')} leads: median ${first.median.toFixed(0)} ms, p95 ${first.p95.toFixed(0)} ms (target < 1000 ms)`,
        );
    } finally {
        await host.stop();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});

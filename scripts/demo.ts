/**
 * `npm run demo`: the whole pipeline on the embedded host with a signed-webhook receiver. Posts one lead of every
 * kind the marketplace docs describe (plus a duplicate and rows of the Azure Table destination), waits for each,
 * prints one line per lead and exits 0 only when every outcome is the expected one.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { demoCases } from './demo/demoCases';
import { startDemoHost } from './demo/demoHost';
import { startLocalInbox } from './localInbox';

const ROOT = resolve(__dirname, '../..');
const FINAL = ['delivered', 'partially-delivered', 'failed', 'destination-validated', 'not-routed', 'skipped'];
const cases = demoCases(ROOT, new Date().toISOString());

async function main(): Promise<number> {
    const secret = randomBytes(24).toString('hex');
    const receiver = await startLocalInbox(secret);
    const host = await startDemoHost(ROOT, {
        LEAD_WEBHOOK_URL: receiver.url,
        LEAD_WEBHOOK_SECRET: secret,
        MARKETPLACE_TABLE_POLL_SCHEDULE: '*/2 * * * * *',
    });
    const url = (path: string) =>
        `${host.baseUrl}/api/${path}${path.includes('?') ? '&' : '?'}code=${host.functionKey}`;
    console.log(`Host ${host.baseUrl}; signed webhook receiver ${receiver.url}\n`);
    try {
        const table = TableClient.fromConnectionString(host.storageConnectionString, 'MarketplaceLeads', {
            allowInsecureConnection: true,
        });
        await table.createTable();
        const ids = new Map<string, string>();
        for (const c of cases.filter((x) => x.via === 'webhook')) {
            const res = await fetch(url('marketplace/leads'), { method: 'POST', body: c.body as string });
            ids.set(c.name, ((await res.json()) as { leadId: string }).leadId);
        }
        const before = new Set((await listLeads(url)).map((l) => l.leadId));
        for (const [i, c] of cases.filter((x) => x.via === 'table').entries()) {
            const { PartitionKey: _p, RowKey: _r, Timestamp: _t, ...row } = c.body as Record<string, unknown>;
            await table.createEntity({ partitionKey: 'demo', rowKey: `row-${i}`, ...row });
        }
        // Table rows become leads on the poller's next runs; the twin of a callback never becomes a new lead.
        const tableCases = cases.filter((x) => x.via === 'table' && x.duplicateOf === undefined);
        const newLeads = await poll(async () => {
            const fresh = (await listLeads(url)).filter((l) => !before.has(l.leadId) && l.channel === 'table');
            return fresh.length >= tableCases.length ? fresh : undefined;
        }, 30_000);
        for (const c of tableCases) {
            const expectTest = c.expect.status === 'destination-validated';
            const match = newLeads.find(
                (l) => (l.status === 'destination-validated') === expectTest || l.status === 'received',
            );
            if (match) {
                ids.set(c.name, match.leadId);
                newLeads.splice(newLeads.indexOf(match), 1);
            }
        }
        for (const c of cases.filter((x) => x.duplicateOf !== undefined)) {
            ids.set(c.name, ids.get(c.duplicateOf!) ?? ids.get(c.name) ?? '');
        }
        await new Promise((r) => setTimeout(r, 4000)); // two more poll cycles: a duplicate would show up now

        let failures = 0;
        const tableLeads = (await listLeads(url)).filter((l) => !before.has(l.leadId) && l.channel === 'table');
        if (tableLeads.length !== tableCases.length) {
            failures++;
            console.log(`FAIL expected ${tableCases.length} new leads from the table, found ${tableLeads.length}`);
        }
        for (const c of cases) {
            const leadId = ids.get(c.name) ?? '';
            const lead = await poll(async () => {
                const res = await fetch(url(`leads/${leadId}`));
                const body = res.status === 200 ? ((await res.json()) as LeadView) : undefined;
                return body !== undefined && FINAL.includes(body.status) ? body : undefined;
            }, 30_000).catch(() => undefined);
            const delivered = receiver.deliveries(leadId);
            const ok =
                lead !== undefined &&
                lead.status === c.expect.status &&
                (c.expect.outcome === undefined || lead.qualification?.outcome === c.expect.outcome) &&
                delivered === c.expect.deliveries;
            if (!ok) failures++;
            const targets =
                lead?.route?.targets.filter((t) => t.skippedReason === undefined).map((t) => t.target) ?? [];
            const deliveries =
                lead?.deliveries
                    .filter((d) => d.status !== 'skipped')
                    .map((d) => `${d.target}:${d.status}×${d.attempts}`) ?? [];
            console.log(
                `${ok ? 'OK  ' : 'FAIL'} ${c.via.padEnd(7)} ${c.name.padEnd(34)} ${String(lead?.status ?? 'missing').padEnd(21)} ` +
                    `grade ${lead?.score?.grade ?? '-'}  ${String(lead?.qualification?.outcome ?? '-').padEnd(14)} ` +
                    `targets [${targets.join(', ')}]  deliveries [${deliveries.join(', ')}]  received ${delivered}` +
                    `${c.duplicateOf ? `  (same lead as "${c.duplicateOf}")` : ''}  ${leadId}`,
            );
        }
        if (receiver.rejected() > 0) failures++;
        console.log(
            `\n${cases.length - failures} of ${cases.length} outcomes as expected; ${receiver.rejected()} bad signatures.`,
        );
        return failures === 0 ? 0 : 1;
    } catch (err) {
        console.error(err, host.logs().slice(-4000));
        return 1;
    } finally {
        await host.stop();
        await receiver.stop();
    }
}

interface LeadView {
    status: string;
    qualification?: { outcome: string };
    score?: { grade: string };
    route?: { targets: { target: string; skippedReason?: string }[] };
    deliveries: { target: string; status: string; attempts: number }[];
}

async function listLeads(url: (p: string) => string) {
    const res = await fetch(url('leads?limit=200'));
    return ((await res.json()) as { items: { leadId: string; status: string; channel: string }[] }).items;
}

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 200));
    }
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);

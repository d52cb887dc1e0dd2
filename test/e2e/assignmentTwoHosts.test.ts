/* eslint-disable @typescript-eslint/no-explicit-any -- API answers and payloads are loosely typed JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type AzuriteInstance, startAzurite } from '../support/azurite';
import { type StartedHost, startHost, waitFor } from '../support/host';
import { api, getLead, postLead, ROOT, SECRET, testPipelineConfig } from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

/**
 * Two whole local hosts (each its own process, HTTP front door, Service Bus emulator and durable task hub) whose app
 * shares one storage account (`AzureWebJobsStorage` pointing both at one Azurite): the leads, their decisions and the
 * assignment state are shared, as two Function App instances share the account in Azure. Each host takes half of 200
 * leads through the webhook at the same moment, so both assign against one state row at once.
 */
function twoQueueConfig(dir: string): string {
    const path = testPipelineConfig(dir);
    const config = JSON.parse(readFileSync(path, 'utf8'));
    config.assignment = {
        enabled: true,
        people: {
            r1: { displayName: 'R One' },
            r2: { displayName: 'R Two' },
            r3: { displayName: 'R Three' },
            r4: { displayName: 'R Four' },
            w1: { displayName: 'W One', weight: 2, dailyCap: 40 },
            w2: { displayName: 'W Two', dailyCap: 20 },
            w3: { displayName: 'W Three', dailyCap: 20 },
            spare: { displayName: 'Spare' },
        },
        queues: {
            rotation: { members: ['r1', 'r2', 'r3', 'r4'], strategy: 'round-robin' },
            capped: { members: ['w1', 'w2', 'w3'], strategy: 'weighted', fallback: { person: 'spare' } },
        },
        rules: [
            {
                id: 'capped-domain',
                description: 'test',
                when: { '==': [{ var: 'emailDomain' }, 'capped.example'] },
                queue: 'capped',
            },
        ],
        defaultQueue: 'rotation',
    };
    writeFileSync(path, JSON.stringify(config));
    return path;
}

let storage: AzuriteInstance;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let hosts: StartedHost[] = [];

beforeAll(async () => {
    [storage, receiver] = await Promise.all([startAzurite(), startWebhookReceiver(SECRET)]);
    const configPath = twoQueueConfig(mkdtempSync(join(tmpdir(), 'assignment-two-hosts-')));
    const start = () =>
        startHost({
            appDir: ROOT,
            env: {
                AzureWebJobsStorage: storage.connectionString,
                LEAD_WEBHOOK_URL: receiver.url,
                LEAD_WEBHOOK_SECRET: SECRET,
                PIPELINE_CONFIG_PATH: configPath,
                LOCAL_FUNCTION_KEY: 'e2e-key',
            },
            readyTimeoutMs: 60_000,
        });
    hosts = await Promise.all([start(), start()]);
}, 90_000);

afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await receiver?.stop();
    await storage?.stop();
});

const lead = (i: number) =>
    JSON.stringify({
        userDetails: {
            email: `buyer${i}@${i % 2 === 0 ? 'rotation' : 'capped'}.example`,
            firstName: 'Ada',
            lastName: 'Lovelace',
            company: 'Contoso',
            title: 'CEO',
            phone: '+1 425 555 0100',
            country: 'US',
        },
        actionCode: 'PLT',
        offerTitle: 'E2E',
        description: 'Please call me',
    });

const tally = (owners: string[]) =>
    owners.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p]: (acc[p] ?? 0) + 1 }), {});

describe('assignment across two local hosts sharing one storage account', () => {
    it('200 leads at once, half through each host: counts per owner exactly as the strategies say, nobody over cap', async () => {
        const [a, b] = hosts as [StartedHost, StartedHost];
        const posted = await Promise.all(
            Array.from({ length: 200 }, (_, i) => postLead(i < 100 ? a : b, lead(i)).then((r) => ({ i, ...r }))),
        );
        expect(posted.every((p) => p.status === 202 && p.leadId !== undefined)).toBe(true);
        const ids = posted.map((p) => p.leadId!);
        expect(new Set(ids).size).toBe(200);
        await waitFor(
            () => new Set(receiver.deliveries.filter((d) => d.answered === 200).map((d) => d.leadId)).size === 200,
            75_000,
            'every lead to reach the webhook',
        );

        // The stored records (read through one host: the tables are shared).
        const records = await Promise.all(ids.map((id) => getLead(a, id)));
        const ownerOf = (i: number) => String(records[i]?.owner?.personId);
        const rotation = posted.filter((p) => p.i % 2 === 0).map((p) => ownerOf(p.i));
        const capped = posted.filter((p) => p.i % 2 === 1).map((p) => ownerOf(p.i));
        expect(tally(rotation)).toEqual({ r1: 25, r2: 25, r3: 25, r4: 25 });
        // Weights 2:1:1 under caps 40/20/20: every capped person fills their cap, the rest goes to the fallback.
        expect(tally(capped)).toEqual({ w1: 40, w2: 20, w3: 20, spare: 20 });
        // Each lead was assigned once: one message each, carrying the owner the record holds.
        for (const [i, id] of ids.entries()) {
            const sent = receiver.deliveries.filter((d) => d.leadId === id);
            expect(sent).toHaveLength(1);
            expect(JSON.parse(sent[0]!.body).owner.personId).toBe(ownerOf(i));
        }
        // The shared counters say the same, seen from either host.
        for (const host of hosts) {
            const overview = (await (await fetch(api(host, 'assignment/owners'))).json()) as any;
            const today = Object.fromEntries(overview.owners.map((o: any) => [o.personId, o.today]));
            expect(today).toEqual({ r1: 25, r2: 25, r3: 25, r4: 25, w1: 40, w2: 20, w3: 20, spare: 20 });
        }
        // Each host ran its own half: its task hub has the runs of the leads it received, not the other host's.
        const run = async (host: StartedHost, leadId: string) => {
            const key = encodeURIComponent(String(host.ready.durableSystemKey));
            const url = `${host.baseUrl}/runtime/webhooks/durabletask/instances/lead-${leadId}?code=${key}`;
            const res = await fetch(url);
            return res.status === 200 ? ((await res.json()) as { runtimeStatus?: string }).runtimeStatus : res.status;
        };
        for (const [host, other, leadId] of [
            [a, b, ids[7]!],
            [b, a, ids[160]!],
        ] as const) {
            expect(await run(host, leadId)).toBe('Completed');
            expect(await run(other, leadId)).toBe(404);
        }
    }, 120_000);
});

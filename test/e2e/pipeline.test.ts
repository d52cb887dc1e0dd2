import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { ServiceBusClient } from '@azure/service-bus';

import { type StartedHost, waitFor } from '../support/host';
import {
    api,
    asTableRow,
    getLead,
    postLead,
    ROOT,
    SECRET,
    startPipelineHost,
    waitForFinal,
} from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

const fixturesDir = join(ROOT, 'test', 'fixtures', 'leads');
const httpsFixtures = [
    ...readdirSync(fixturesDir).filter((f) => f.startsWith('https-')),
    ...readdirSync(join(fixturesDir, 'marketplace'))
        .filter((f) => f.startsWith('https-'))
        .map((f) => `marketplace/${f}`),
];
const read = (name: string) => readFileSync(join(fixturesDir, name), 'utf8');
const expected = (name: string) => (name.includes('test-lead') ? 'destination-validated' : 'delivered');
const lead = (email: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ userDetails: { email, company: 'Contoso' }, actionCode: 'INS', offerTitle: 'E2E', ...extra });

let host: StartedHost;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let marketplaceTable: TableClient;

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    host = await startPipelineHost(receiver.url);
    marketplaceTable = TableClient.fromConnectionString(host.storageConnectionString, 'MarketplaceLeads', {
        allowInsecureConnection: true,
    });
    await marketplaceTable.createTable();
}, 60_000);

afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
});

describe('the pipeline on the local host', () => {
    it('when every fixture arrives through the webhook then each gets its expected outcome, delivered once and signed', async () => {
        const posted = await Promise.all(httpsFixtures.map(async (f) => ({ f, res: await postLead(host, read(f)) })));
        for (const { f, res } of posted) {
            expect([f, res.status]).toEqual([f, 202]);
            const final = await waitForFinal(host, res.leadId!);
            expect([f, final.status]).toEqual([f, expected(f)]);
            const got = receiver.forLead(res.leadId!);
            expect([f, got.length]).toEqual([f, expected(f) === 'delivered' ? 1 : 0]);
            expect(got.every((d) => d.signatureValid && d.idempotencyKey === `${res.leadId}:leadWebhook`)).toBe(true);
        }
    }, 90_000);

    it('when every fixture arrives as a MarketplaceLeads row then the poller brings each through the pipeline', async () => {
        const now = new Date().toISOString();
        const rows = httpsFixtures.map((f, i) => ({
            f,
            row: asTableRow(JSON.parse(read(f)), now, `table channel ${i}`),
        }));
        const tableRows = [
            ...rows,
            {
                f: 'table-row-contact-me.json',
                row: {
                    ...JSON.parse(read('table-row-contact-me.json')),
                    CreatedTime: now,
                    Description: 'table channel row',
                },
            },
            {
                f: 'marketplace/table-row-test-lead.json',
                row: { ...JSON.parse(read('marketplace/table-row-test-lead.json')), CreatedTime: now },
            },
        ];
        for (const [i, { row }] of tableRows.entries()) {
            const { PartitionKey: _p, RowKey: _r, Timestamp: _t, ...rest } = row as Record<string, unknown>;
            await marketplaceTable.createEntity({ partitionKey: 'e2e', rowKey: `row-${i}`, ...rest });
        }

        const found = await waitFor(
            async () => {
                const res = await fetch(api(host, 'leads?limit=200'));
                const items = ((await res.json()) as { items: { leadId: string; channel: string; status: string }[] })
                    .items;
                const table = items.filter((i) => i.channel === 'table');
                return table.length >= tableRows.length &&
                    table.every((i) => i.status !== 'received' && i.status !== 'delivering')
                    ? table
                    : undefined;
            },
            40_000,
            'every table row to be processed',
        );

        expect(found).toHaveLength(tableRows.length);
        const statuses = found.map((i) => i.status).sort();
        expect(statuses.filter((s) => s === 'destination-validated')).toHaveLength(
            tableRows.filter(({ f }) => f.includes('test-lead')).length,
        );
        expect(statuses.filter((s) => s === 'delivered')).toHaveLength(
            tableRows.filter(({ f }) => !f.includes('test-lead')).length,
        );
    }, 60_000);

    it('when the same callback arrives twice at once then both answers name one lead and it is delivered once', async () => {
        const body = lead('twice@contoso.com');

        const [a, b] = await Promise.all([postLead(host, body), postLead(host, body)]);
        await waitForFinal(host, a.leadId!);

        expect(a).toEqual({ status: 202, leadId: b.leadId });
        expect(receiver.forLead(a.leadId!)).toHaveLength(1);
    });

    it('when a lead arrives by callback and as a table row then it is processed once', async () => {
        const body = lead('both@contoso.com');
        const res = await postLead(host, body);
        await marketplaceTable.createEntity({
            partitionKey: 'e2e',
            rowKey: 'both',
            ...asTableRow(JSON.parse(body), new Date().toISOString()),
        });
        await waitForFinal(host, res.leadId!);
        // Two poll cycles later the row has been read and recognised.
        const polls = (host.logs().match(/Executed 'Functions.marketplaceTablePoller'/g) ?? []).length;
        await waitFor(
            () => (host.logs().match(/Executed 'Functions.marketplaceTablePoller'/g) ?? []).length >= polls + 2,
            15_000,
            'two polls',
        );

        expect(receiver.deliveries.filter((d) => d.email === 'both@contoso.com')).toHaveLength(1);
    });

    it('when the target keeps failing then the lead fails after the configured attempts and a redelivery delivers it', async () => {
        let down = true;
        receiver.scripts.set('fail@contoso.com', () => (down ? { status: 500 } : { status: 200 }));
        const res = await postLead(host, lead('fail@contoso.com'));

        const failed = await waitForFinal(host, res.leadId!);
        down = false;
        const redeliver = await fetch(api(host, `leads/${res.leadId}/redeliver`), { method: 'POST' });
        const delivered = await waitFor(async () => {
            const l = await getLead(host, res.leadId!);
            return l?.status === 'delivered' ? l : undefined;
        });

        expect(failed.status).toBe('failed');
        expect(failed.deliveries).toContainEqual(
            expect.objectContaining({ target: 'leadWebhook', status: 'failed', attempts: 3 }),
        );
        expect(redeliver.status).toBe(202);
        expect(delivered.deliveries).toContainEqual(
            expect.objectContaining({ target: 'leadWebhook', status: 'delivered' }),
        );
    }, 30_000);

    it('when an operator terminates a run while its target waits to retry then the lead shows stalled once the delivery stops, and a redelivery takes it at once', async () => {
        let down = true;
        // The first answer asks for 4 s: the run is terminated and read back while its delivery surely still waits.
        receiver.scripts.set('terminated@contoso.com', (_d, nth) =>
            nth === 1 ? { status: 503, headers: { 'Retry-After': '4' } } : down ? { status: 503 } : { status: 200 },
        );
        const res = await postLead(host, lead('terminated@contoso.com'));
        const leadId = res.leadId!;
        const webhookRow = (l: Awaited<ReturnType<typeof getLead>>) =>
            (l?.deliveries as { target: string; status: string }[] | undefined)?.find(
                (d) => d.target === 'leadWebhook',
            );
        await waitFor(async () => webhookRow(await getLead(host, leadId))?.status === 'retrying', 15_000, 'a retry');

        const terminate = await fetch(
            // The durable API needs the durable extension's system key, as in Azure.
            `${host.baseUrl}/runtime/webhooks/durabletask/instances/lead-${leadId}/terminate?reason=operator&code=${encodeURIComponent(String(host.ready.durableSystemKey))}`,
            { method: 'POST' },
        );
        const whileDeliveryRuns = await getLead(host, leadId);
        // Terminating the parent leaves its delivery sub-orchestration running to its last attempt.
        const stalled = await waitFor(
            async () => {
                const l = await getLead(host, leadId);
                return l?.status === 'stalled' ? l : undefined;
            },
            20_000,
            'the lead to show stalled',
        );
        const attemptsWhenStalled = receiver.forLead(leadId).length;
        down = false;
        const redeliver = await fetch(api(host, `leads/${leadId}/redeliver`), { method: 'POST' });
        const delivered = await waitFor(async () => {
            const l = await getLead(host, leadId);
            return l?.status === 'delivered' ? l : undefined;
        });

        expect(terminate.status).toBe(202);
        expect(whileDeliveryRuns?.status).toBe('delivering');
        expect(attemptsWhenStalled).toBe(3); // all of the sub-orchestration's attempts, after the termination
        expect(webhookRow(stalled)).toMatchObject({
            status: 'stalled',
            claimStatus: 'retrying',
            stalledReason: 'run-ended',
            claimedBy: `lead-${leadId}`,
        });
        expect(redeliver.status).toBe(202);
        expect(webhookRow(delivered)).toMatchObject({ status: 'delivered' });
        expect(delivered.history as { kind: string; detail?: Record<string, unknown> }[]).toContainEqual(
            expect.objectContaining({
                kind: 'claim-expired',
                detail: expect.objectContaining({ reason: 'run-ended' }),
            }),
        );
        expect(receiver.forLead(leadId).filter((d) => d.answered === 200)).toHaveLength(1);
    }, 60_000);

    it('when the target throttles with Retry-After then the next attempt comes no sooner and succeeds', async () => {
        receiver.scripts.set('throttle@contoso.com', (_d, nth) =>
            nth === 1 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200 },
        );
        const res = await postLead(host, lead('throttle@contoso.com'));

        const final = await waitForFinal(host, res.leadId!);

        const got = receiver.forLead(res.leadId!);
        expect(final.status).toBe('delivered');
        expect(got.map((d) => d.answered)).toEqual([429, 200]);
        expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(1900);
        expect(final.deliveries).toContainEqual(expect.objectContaining({ target: 'leadWebhook', attempts: 2 }));
    }, 30_000);

    it('when the target times out then the attempt is retried and the lead is delivered', async () => {
        receiver.scripts.set('slow@contoso.com', (_d, nth) => (nth === 1 ? 'hang' : { status: 200 }));
        const res = await postLead(host, lead('slow@contoso.com'));

        const final = await waitForFinal(host, res.leadId!);

        expect(final.status).toBe('delivered');
        expect(final.deliveries).toContainEqual(expect.objectContaining({ target: 'leadWebhook', attempts: 2 }));
    }, 30_000);

    it('when a poison message exhausts its deliveries then it is parked with the reason, and a replay sends it again', async () => {
        const client = new ServiceBusClient(host.serviceBusConnectionString);
        try {
            await client
                .createSender('lead-events')
                .sendMessages({ body: { not: 'a lead event' }, messageId: 'poison-1' });
        } finally {
            await client.close();
        }
        type Parked = {
            id: string;
            messageId: string;
            reason: string;
            description?: string;
            replayOf?: string;
            replayCount: number;
        };
        const listParked = async () =>
            ((await (await fetch(api(host, 'leads/parked'))).json()) as { items: Parked[] }).items;

        const parked = await waitFor(
            async () => (await listParked()).find((p) => p.messageId === 'poison-1'),
            20_000,
            'parked',
        );
        const replay = await fetch(api(host, `leads/parked/${parked.id}/replay`), { method: 'POST' });
        const again = await waitFor(
            async () => (await listParked()).find((p) => p.replayOf === parked.id),
            20_000,
            'replay parked',
        );

        // The broker's reason arrives in the dead-letter message's application properties, first letter lowered.
        expect(parked.reason).toBe('MaxDeliveryCountExceeded');
        expect(parked.description).toMatch(/\S/u);
        expect(replay.status).toBe(202);
        expect(again.messageId).toBe('poison-1:replay-1');
        expect((await listParked()).find((p) => p.id === parked.id)?.replayCount).toBe(1);
    }, 45_000);

    it('when the operations API is asked for an unknown lead, a bad filter or a crafted token then it answers 404 and 400', async () => {
        expect((await fetch(api(host, 'leads/lk-0000000000000000000000000000000000000000'))).status).toBe(404);
        expect((await fetch(api(host, 'leads?status=bogus'))).status).toBe(400);
        const crafted = Buffer.from(JSON.stringify({ m: '202600' })).toString('base64url');
        expect((await fetch(api(host, `leads?continuationToken=${crafted}`))).status).toBe(400);
        expect((await fetch(`${host.baseUrl}/api/leads`)).status).toBe(401);
    });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */
import { TableClient } from '@azure/data-tables';

import { type StartedHost, waitFor } from '../support/host';
import { api, getLead, postLead, SECRET, startPipelineHost } from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

/*
 * What an erasure leaves is a tombstone under each erased lead's key: the marketplace's own table still holds the
 * row (the pipeline was not asked to delete there), the table poller keeps re-reading rows inside its overlap, and
 * the marketplace may send a callback twice. None of that brings the lead back; a lead the person sends a day later
 * has another key and is a new lead.
 */

const customerInfo = {
    FirstName: 'Tomasz',
    LastName: 'Tombstone-Test',
    Email: 'tomasz.tombstone@fabrikam-tomb.example',
    Phone: '+48 22 555 0177',
    Country: 'Poland',
    Company: 'Fabrikam Sp. z o.o.',
    Title: 'IT Manager',
};
const row = (createdTime: string) => ({
    ActionCode: 'PLT',
    CreatedTime: createdTime,
    CustomerInfo: JSON.stringify(customerInfo),
    Description: 'Please call about the pilot',
    LeadSource: 'SPZA-PLT|fabrikam.analytics',
    OfferDisplayName: 'Fabrikam Analytics',
});
/** The same lead as the marketplace's HTTPS destination sends it. */
const callback = JSON.stringify({
    userDetails: {
        firstName: customerInfo.FirstName,
        lastName: customerInfo.LastName,
        email: customerInfo.Email,
        phone: customerInfo.Phone,
        country: customerInfo.Country,
        company: customerInfo.Company,
        title: customerInfo.Title,
    },
    leadSource: 'SPZA-PLT|fabrikam.analytics',
    actionCode: 'PLT',
    offerTitle: 'Fabrikam Analytics',
    description: 'Please call about the pilot',
});

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let host: StartedHost;
let table: TableClient;

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    host = await startPipelineHost(receiver.url);
    table = TableClient.fromConnectionString(host.storageConnectionString, 'MarketplaceLeads', {
        allowInsecureConnection: true,
    });
    await table.createTable();
}, 60_000);
afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
});

const tableLeads = async () =>
    ((await (await fetch(api(host, 'leads?limit=100'))).json()) as { items: Record<string, any>[] }).items.filter(
        (i) => i.channel === 'table',
    );
/** Polls since `mark` (a position in the host's output) that read a row and found it known. */
const polledSince = (mark: number) =>
    [
        ...host
            .logs()
            .slice(mark)
            .matchAll(/Marketplace table polled \{[^}]*duplicates: [1-9]/g),
    ].length;

describe('the tombstone of an erased lead', () => {
    it("when the poller re-reads the erased lead's row and the callback comes again, then nothing is stored; a lead a day later is a new lead", async () => {
        const created = new Date();
        await table.createEntity({ partitionKey: 'tomb', rowKey: 'row-1', ...row(created.toISOString()) });
        const first = await waitFor(async () => (await tableLeads()).find((l) => l.status === 'delivered'), 30_000);
        expect(receiver.forLead(first.leadId)).toHaveLength(1);

        const res = await fetch(api(host, 'privacy/erasures'), {
            method: 'POST',
            body: JSON.stringify({ email: customerInfo.Email }),
        });
        const { erasureId } = (await res.json()) as { erasureId: string };
        const report = await waitFor(
            async () => {
                const r = (await (await fetch(api(host, `privacy/erasures/${erasureId}`))).json()) as Record<
                    string,
                    any
                >;
                return r.status === 'running' ? undefined : r;
            },
            60_000,
            'the erasure',
        );
        expect(report).toMatchObject({
            status: 'completed',
            leadIds: [first.leadId],
            marketplaceTable: { status: 'not-requested' },
        });

        // The row is still there and is read again (it is rewritten, so its Timestamp is new): recognised, not stored.
        const mark = host.logs().length;
        await table.upsertEntity({ partitionKey: 'tomb', rowKey: 'row-1', ...row(created.toISOString()) }, 'Replace');
        await waitFor(() => polledSince(mark) >= 2, 20_000, 'two polls that read the row again');
        const again = await postLead(host, callback);

        expect(again).toEqual({ status: 202, leadId: first.leadId });
        expect(await getLead(host, first.leadId)).toBeUndefined();
        expect(await tableLeads()).toEqual([]);
        expect(receiver.forLead(first.leadId)).toHaveLength(1);

        // A day later the person asks again: another lead key, a new lead, delivered.
        const nextDay = new Date(created.getTime() + 86_400_000).toISOString();
        await table.createEntity({ partitionKey: 'tomb', rowKey: 'row-2', ...row(nextDay) });
        const second = await waitFor(async () => (await tableLeads()).find((l) => l.status === 'delivered'), 30_000);

        expect(second.leadId).not.toBe(first.leadId);
        expect((await getLead(host, second.leadId))?.contact.email).toBe(customerInfo.Email);
        expect(receiver.forLead(second.leadId)).toHaveLength(1);
        // Asking again finds the erased lead's tombstone: the request is harmless and says so.
        const repeat = await fetch(api(host, 'privacy/exports'), {
            method: 'POST',
            body: JSON.stringify({ email: customerInfo.Email }),
        });
        const exported = (await repeat.json()) as Record<string, any>;
        expect(exported.erasedLeads).toEqual([first.leadId]);
        expect(exported.leads.map((l: any) => l.leadId)).toEqual([second.leadId]);
    }, 180_000);

    it('when the privacy API is called without the function key or with another key, then it answers 401 and erases or reveals nothing', async () => {
        const email = 'kerem.yetkisiz@fabrikam-auth.example';
        const posted = await postLead(
            host,
            JSON.stringify({ userDetails: { email, firstName: 'Kerem' }, actionCode: 'INS', offerTitle: 'Auth' }),
        );
        const erasuresBefore = ((await (await fetch(api(host, 'privacy/erasures'))).json()) as { items: unknown[] })
            .items.length;
        const body = JSON.stringify({ email });
        const routes = [
            ['POST', 'privacy/erasures', body],
            ['POST', 'privacy/exports', body],
            ['GET', 'privacy/erasures'],
            ['GET', 'privacy/erasures/er-20261201T000000Z-00000000'],
            ['POST', 'privacy/erasures/er-20261201T000000Z-00000000/retry'],
            ['GET', 'privacy/retention-runs'],
        ] as const;

        for (const [method, path, sent] of routes) {
            for (const url of [`${host.baseUrl}/api/${path}`, `${host.baseUrl}/api/${path}?code=not-the-key`]) {
                const res = await fetch(url, { method, ...(sent === undefined ? {} : { body: sent }) });
                const text = await res.text();
                expect([method, path, res.status]).toEqual([method, path, 401]);
                expect(text).not.toContain(email);
            }
        }

        expect((await getLead(host, posted.leadId!))?.contact.email).toBe(email);
        const erasuresAfter = ((await (await fetch(api(host, 'privacy/erasures'))).json()) as { items: unknown[] })
            .items.length;
        expect(erasuresAfter).toBe(erasuresBefore);
    }, 60_000);
});

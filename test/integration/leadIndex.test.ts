import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createBlobRawBodyStore } from '../../shared/adapters/blob/createBlobRawBodyStore';
import { createTableLeadRepository } from '../../shared/adapters/tables/createTableLeadRepository';
import { createTableClientFactory } from '../../shared/adapters/tables/tableClients';
import { decide, parseLeadSearch, parseMarketplaceCallback, parsePipelineConfig } from '../../shared/domain/index';
import { type AzuriteInstance, startAzurite } from '../support/azurite';

let azurite: AzuriteInstance;
beforeAll(async () => {
    azurite = await startAzurite();
});
afterAll(async () => {
    await azurite.stop();
});

const config = parsePipelineConfig(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'pipeline.json'), 'utf8')),
);

function repository(prefix: string) {
    const tables = createTableClientFactory({ connectionString: azurite.connectionString }, prefix);
    const blobs = createBlobRawBodyStore(
        { connectionString: azurite.connectionString },
        `raw-${prefix.toLowerCase()}`,
        () => tables('RawBodies'),
    );
    return createTableLeadRepository(tables, blobs);
}

const body = (n: number, company: string, action = 'PLT') =>
    JSON.stringify({
        userDetails: { firstName: `Person ${n}`, lastName: 'Test', email: `p${n}@example-${n}.com`, company },
        leadSource: `SPZA-${action}|contoso.pipeline`,
        actionCode: action,
        offerTitle: n % 2 === 0 ? 'Even Offer' : 'Odd Offer',
        description: `message ${n}`,
    });

/** Stores `count` leads a minute apart ending at `end`, decided and, when `finish`, completed as delivered. */
async function store(prefix: string, count: number, company: (n: number) => string) {
    const leads = repository(prefix);
    const end = Date.UTC(2026, 10, 20, 12, 0, 0);
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
        const receivedAt = new Date(end - (count - n) * 60_000).toISOString();
        const lead = parseMarketplaceCallback(body(n, company(n), n % 3 === 0 ? 'INS' : 'PLT'), { receivedAt });
        await leads.create({
            leadId: lead.leadKey,
            lead,
            raw: new TextEncoder().encode('{}'),
            now: new Date(receivedAt),
        });
        const decision = decide(lead, config, receivedAt, { availableTargets: new Set(['leadWebhook']) });
        const ref = { leadId: lead.leadKey, receivedAt };
        await leads.saveDecision(ref, decision, 'delivering', [], new Date(receivedAt));
        await leads.commitDeliveries(ref, {
            deliveries: [
                { target: 'leadWebhook', role: 'notify', status: 'delivered', attempts: 1, updatedAt: receivedAt },
            ],
            status: 'delivered',
            completed: true,
            history: { at: receivedAt, kind: 'completed' },
            now: new Date(Date.parse(receivedAt) + 2500),
        });
        ids.push(lead.leadKey);
    }
    return { leads, ids };
}

describe('the lead index (LeadsByTime on Azurite)', () => {
    it('when leads are stored then the list rows carry person, company, offer, action, grade, outcome and deliveries', async () => {
        const { leads, ids } = await store('IdxCols', 3, (n) => `Company ${n}`);

        const page = await leads.list({ limit: 10, since: new Date('2026-11-01T00:00:00Z') });

        expect(page.items.map((i) => i.leadId)).toEqual([...ids].reverse());
        expect(page.items[0]).toEqual(
            expect.objectContaining({
                name: 'Person 2 Test',
                company: 'Company 2',
                offer: 'Even Offer',
                actionCode: 'PLT',
                action: 'contact-me',
                source: 'AppSource',
                outcome: 'qualified',
                status: 'delivered',
                deliveries: [{ target: 'leadWebhook', status: 'delivered', attempts: 1 }],
            }),
        );
        expect(page.items[0]!.grade).toMatch(/^[A-D]$/u);
        expect(Date.parse(page.items[0]!.completedAt!) - Date.parse(page.items[0]!.receivedAt)).toBe(2500);
    });

    it('when filtered by action and offer or searched by email then the table service filters, and the email is only a key', async () => {
        const { leads, ids } = await store('IdxFilter', 6, (n) => `Company ${n}`);
        const since = new Date('2026-11-01T00:00:00Z');

        const installs = await leads.list({ limit: 10, since, action: 'install', offer: 'Odd Offer' });
        const byEmail = await leads.list({ limit: 10, since, search: parseLeadSearch('P4@EXAMPLE-4.com') });
        const none = await leads.list({ limit: 10, since, grade: 'Z' });

        expect(installs.items.map((i) => i.leadId)).toEqual([ids[3]]);
        expect(byEmail.items.map((i) => i.leadId)).toEqual([ids[4]]);
        expect(none.items).toEqual([]);
    });

    it('when a company search stops inside a page then the next page goes on right after the last row shown', async () => {
        const { leads, ids } = await store('IdxCompany', 9, (n) =>
            n % 2 === 0 ? `Dvořák Stavby ${n} s.r.o.` : `Other ${n}`,
        );
        const since = new Date('2026-11-01T00:00:00Z');
        const search = parseLeadSearch('dvorak stavby');
        const expected = ids.filter((_, n) => n % 2 === 0).reverse();

        const seen: string[] = [];
        let token: string | undefined;
        do {
            const page = await leads.list({ limit: 2, since, search, continuationToken: token });
            seen.push(...page.items.map((i) => i.leadId));
            token = page.continuationToken;
        } while (token !== undefined);

        expect(seen).toEqual(expected);
    });

    it('when the list is read then it answers only from the index with the time window given', async () => {
        const { leads } = await store('IdxWindow', 4, (n) => `Company ${n}`);

        const recent = await leads.list({
            limit: 10,
            since: new Date('2026-11-20T11:57:00Z'),
            until: new Date('2026-11-20T11:59:00Z'),
        });

        expect(recent.items.map((i) => i.name)).toEqual(['Person 2 Test', 'Person 1 Test']);
    });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { createMarketplaceLeadWebhook } from '../../functions/marketplaceLeadWebhook';
import { createMarketplaceTablePoller } from '../../functions/marketplaceTablePoller';
import { InMemoryCheckpoints, InMemoryRows, testContext } from '../fakes/fakes';
import { fixture, intakeDeps, post } from './helpers';

const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: undefined } as never;

function setup() {
    const deps = { ...intakeDeps(), rows: new InMemoryRows(), checkpoints: new InMemoryCheckpoints() };
    const row = JSON.parse(fixture('table-row-contact-me.json')) as Record<string, unknown>;
    deps.rows.rows = [
        {
            partitionKey: String(row.PartitionKey),
            rowKey: String(row.RowKey),
            timestamp: String(row.Timestamp),
            entity: row,
        },
    ];
    return deps;
}

describe('marketplaceTablePoller', () => {
    it('when the table has a new row then it becomes a lead event and the watermark moves to its Timestamp', async () => {
        const deps = setup();
        const poll = createMarketplaceTablePoller(() => deps);

        await poll(timer, testContext('poller').context);

        expect(deps.leads.records.size).toBe(1);
        expect([...deps.leads.records.values()][0]!.lead.channel).toBe('table');
        expect(deps.publisher.sent).toHaveLength(1);
        expect(deps.checkpoints.values.get('marketplace-leads-table')).toBe('2026-11-21T06:00:05.123Z');
    });

    it('when it polls again then it re-reads from the watermark minus the overlap and stores nothing new', async () => {
        const deps = setup();
        const poll = createMarketplaceTablePoller(() => deps);

        await poll(timer, testContext('poller').context);
        await poll(timer, testContext('poller').context);

        expect(deps.rows.queries[0]).toBeUndefined();
        expect(deps.rows.queries[1]?.toISOString()).toBe('2026-11-21T05:55:05.123Z');
        expect(deps.leads.records.size).toBe(1);
    });

    it('when the same lead arrived by callback and by table then it is one lead', async () => {
        const deps = setup();
        const webhook = createMarketplaceLeadWebhook(() => deps);
        const poll = createMarketplaceTablePoller(() => deps);
        const body = fixture('marketplace/https-camelcase-contact-me.json');

        const res = await webhook(post(body), testContext('w').context);
        await poll(timer, testContext('poller').context);

        expect(res.status).toBe(202);
        expect(deps.leads.records.size).toBe(1);
        expect(deps.leads.records.has((res.jsonBody as { leadId: string }).leadId)).toBe(true);
    });

    it('when MarketplaceLeadsStorage is not set then it does nothing', async () => {
        const deps = { ...setup(), rows: undefined };
        const poll = createMarketplaceTablePoller(() => deps);

        await poll(timer, testContext('poller').context);

        expect(deps.leads.records.size).toBe(0);
    });
});

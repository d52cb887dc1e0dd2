// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { createMarketplaceLeadWebhook } from '../../functions/marketplaceLeadWebhook';
import { createStalledLeadSweeper } from '../../functions/stalledLeadSweeper';
import { testContext } from '../fakes/fakes';
import { fixture, intakeDeps, personalData, post } from './helpers';

const timer = { isPastDue: false } as never;

describe('stalledLeadSweeper', () => {
    it('when a lead was stored but its enqueue failed then a later sweep enqueues it under a new message id', async () => {
        const deps = intakeDeps('2026-11-21T06:00:00.000Z');
        deps.publisher.failWith = new Error('queue down');
        const res = await createMarketplaceLeadWebhook(() => deps)(
            post(fixture('https-pascal-campaign.json')),
            testContext('w').context,
        );
        deps.publisher.failWith = undefined;
        const leadId = [...deps.leads.records.keys()][0]!;

        await createStalledLeadSweeper(() => ({ ...deps, now: () => new Date('2026-11-21T06:05:00Z') }))(
            timer,
            testContext('s').context,
        );
        const early = deps.publisher.sent.length;
        await createStalledLeadSweeper(() => ({ ...deps, now: () => new Date('2026-11-21T06:11:00Z') }))(
            timer,
            testContext('s').context,
        );

        expect(res.status).toBe(503);
        expect(early).toBe(0);
        expect(deps.publisher.sent).toHaveLength(1);
        expect(deps.publisher.sent[0]!.body).toMatchObject({ leadId });
        expect(deps.publisher.sent[0]!.options.messageId).toMatch(new RegExp(`^${leadId}:requeue-\\d+$`, 'u'));
    });

    it('when a lead has started processing then the sweep leaves it alone', async () => {
        const deps = intakeDeps('2026-11-21T06:00:00.000Z');
        await createMarketplaceLeadWebhook(() => deps)(
            post(fixture('https-pascal-campaign.json')),
            testContext('w').context,
        );
        [...deps.leads.records.values()][0]!.status = 'delivering';
        deps.publisher.sent.length = 0;

        await createStalledLeadSweeper(() => ({ ...deps, now: () => new Date('2026-11-21T07:00:00Z') }))(
            timer,
            testContext('s').context,
        );

        expect(deps.publisher.sent).toHaveLength(0);
    });

    it('when a lead has been delivering for longer than the deadline plus the margin then the sweep reports it by id, without requeueing it', async () => {
        const deps = intakeDeps('2026-11-21T06:00:00.000Z');
        await createMarketplaceLeadWebhook(() => deps)(
            post(fixture('https-pascal-campaign.json')),
            testContext('w').context,
        );
        const record = [...deps.leads.records.values()][0]!;
        Object.assign(record, { status: 'delivering', updatedAt: '2026-11-21T06:00:01.000Z' });
        deps.publisher.sent.length = 0;
        const sweepAt = async (iso: string) => {
            const { context, lines } = testContext('s');
            const delivery = { deadlineMinutes: 60 };
            await createStalledLeadSweeper(() => ({ ...deps, now: () => new Date(iso), delivery }))(timer, context);
            return lines.join('\n');
        };

        const beforeDeadline = await sweepAt('2026-11-21T07:05:00Z');
        const after = await sweepAt('2026-11-21T07:15:00Z');

        expect(beforeDeadline).not.toMatch(/stalled in delivery/);
        expect(after).toMatch(/Leads stalled in delivery/);
        expect(after).toContain(record.leadId);
        expect(after).toMatch(/"count":1/);
        for (const pattern of personalData) expect(after).not.toMatch(pattern);
        expect(deps.publisher.sent).toHaveLength(0);
    });

    it('when a target is off because its Key Vault reference did not resolve then each sweep warns, naming the setting only', async () => {
        const deps = intakeDeps('2026-11-21T06:00:00.000Z');
        const { context, lines } = testContext('s');
        const targetStates = {
            hubspot: {
                enabled: false,
                reason: 'settings hold a Key Vault reference …',
                unsetSettings: [],
                unresolvedSettings: ['HUBSPOT_TOKEN'],
            },
            leadWebhook: { enabled: true, unsetSettings: [], unresolvedSettings: [] },
        };

        await createStalledLeadSweeper(() => ({ ...deps, targetStates }))(timer, context);

        expect(lines.filter((l) => /Key Vault reference/u.test(l))).toEqual([
            'Target is off: a setting holds a Key Vault reference the platform could not resolve {"target":"hubspot","settings":"HUBSPOT_TOKEN"}',
        ]);
    });
});

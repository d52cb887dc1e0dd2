// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { createMarketplaceLeadWebhook } from '../../functions/marketplaceLeadWebhook';
import { testContext } from '../fakes/fakes';
import { fixture, intakeDeps, personalData, post } from './helpers';

describe('marketplaceLeadWebhook', () => {
    it('when a marketplace callback arrives then it answers 202 with the lead id, stores it and enqueues it once', async () => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);
        const { context, lines } = testContext('marketplaceLeadWebhook');

        const res = await handler(post(fixture('marketplace/https-camelcase-contact-me.json')), context);

        expect(res.status).toBe(202);
        const { leadId } = res.jsonBody as { leadId: string };
        expect(leadId).toMatch(/^lk-[0-9a-f]{40}$/u);
        expect(deps.leads.records.get(leadId)?.status).toBe('received');
        expect(deps.publisher.sent).toHaveLength(1);
        expect(deps.publisher.sent[0]!.options.messageId).toBe(leadId);
        expect(deps.publisher.sent[0]!.body).toEqual({
            leadId,
            channel: 'https',
            receivedAt: '2026-11-21T06:00:04.000Z',
        });
        expect(deps.publisher.sent[0]!.options.properties.leadId).toBe(leadId);
        for (const line of lines) for (const pattern of personalData) expect(line).not.toMatch(pattern);
    });

    it('when the same callback arrives twice then both answers carry the same lead id and one lead is stored', async () => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);
        const body = fixture('https-pascal-campaign.json');

        const [a, b] = await Promise.all([
            handler(post(body), testContext('w').context),
            handler(post(body), testContext('w').context),
        ]);

        expect(a.status).toBe(202);
        expect(b.status).toBe(202);
        expect(a.jsonBody).toEqual(b.jsonBody);
        expect(deps.leads.records.size).toBe(1);
        // Re-sent with the same message id (duplicate detection absorbs it) because the first may not have reached the queue.
        expect(new Set(deps.publisher.sent.map((s) => s.options.messageId)).size).toBe(1);
    });

    it('when a repeat arrives after processing started then nothing is enqueued again', async () => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);
        const body = fixture('https-pascal-campaign.json');
        const first = await handler(post(body), testContext('w').context);
        const leadId = (first.jsonBody as { leadId: string }).leadId;
        deps.leads.records.get(leadId)!.status = 'delivering';

        const second = await handler(post(body), testContext('w').context);

        expect(second.jsonBody).toEqual({ leadId });
        expect(deps.publisher.sent).toHaveLength(1);
    });

    it.each([
        ['not JSON', '<xml/>'],
        ['a JSON array', '[1,2]'],
        ['empty', ''],
    ])('when the body is %s then it is stored and answered 400 with a JSON error', async (_name, body) => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);

        const res = await handler(post(body), testContext('w').context);

        expect(res.status).toBe(400);
        expect(res.jsonBody).toMatchObject({ error: { code: 'invalid-payload' }, payloadId: 'p1' });
        expect(deps.invalidPayloads.saved.size).toBe(1);
        expect(deps.publisher.sent).toHaveLength(0);
    });

    it('when the body is larger than the limit then it answers 413 without storing anything', async () => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);

        const res = await handler(post(JSON.stringify({ description: 'x'.repeat(5000) })), testContext('w').context);

        expect(res.status).toBe(413);
        expect(deps.leads.records.size).toBe(0);
        expect(deps.invalidPayloads.saved.size).toBe(0);
    });

    it('when Content-Length announces too large a body then it answers 413 before reading', async () => {
        const deps = intakeDeps();
        const handler = createMarketplaceLeadWebhook(() => deps);

        const res = await handler(post('{}', undefined, { 'content-length': '999999' }), testContext('w').context);

        expect(res.status).toBe(413);
    });

    it('when our storage is down then it answers 503 so the marketplace retries', async () => {
        const deps = intakeDeps();
        deps.leads.failWith = new Error('ECONNREFUSED');
        const handler = createMarketplaceLeadWebhook(() => deps);

        const res = await handler(post(fixture('https-pascal-campaign.json')), testContext('w').context);

        expect(res.status).toBe(503);
    });

    it('when the queue is down then it answers 503 and a retry later enqueues the stored lead', async () => {
        const deps = intakeDeps();
        deps.publisher.failWith = new Error('ServiceUnavailable');
        const handler = createMarketplaceLeadWebhook(() => deps);
        const body = fixture('https-pascal-campaign.json');

        const failed = await handler(post(body), testContext('w').context);
        deps.publisher.failWith = undefined;
        const retried = await handler(post(body), testContext('w').context);

        expect(failed.status).toBe(503);
        expect(retried.status).toBe(202);
        expect(deps.leads.records.size).toBe(1);
        expect(deps.publisher.sent).toHaveLength(1);
    });
});

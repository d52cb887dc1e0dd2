/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { contextLogger } from '../../shared/app/contextLogger';
import { decideAndDeliver } from '../../shared/app/decideAndDeliver';
import { deliverToTarget } from '../../shared/app/deliverToTarget';
import { trackRequestsSent } from '../../shared/app/requestsSent';
import { createTargetGate } from '../../shared/app/targetGate';
import { PermanentError, TransientError } from '../../shared/domain/errors';
import { durableNames } from '../../shared/names';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import { testContext } from '../fakes/fakes';
import { fixture } from './helpers';
import { type Behaviour, pipelineConfig, pipelineHarness } from './pipelineHarness';

const ok: Behaviour = async () => ({ action: 'sent', status: 200, externalId: 'ext-1' });
const budgetExhausted = () =>
    new TransientError('leadWebhook: request budget exhausted', { code: 'rate-governor', retryAfterMs: 700 });

function scripted(name: string, deliver: (request: DeliveryRequest) => Promise<DeliveryResult>): DeliveryTarget {
    return {
        name,
        type: 'webhook',
        role: pipelineConfig.targets[name]!.role,
        deliver,
        checkHealth: async (now) => ({ target: name, type: 'webhook', ok: true, checkedAt: now.toISOString() }),
    };
}

const webhookRow = (h: ReturnType<typeof pipelineHarness>, leadId: string) =>
    h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')!;

describe('the lead pipeline first step (decide and deliver in one activity)', () => {
    it('when every routed target is delivered on its first attempt then the run is one activity and no sub-orchestration', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        expect(run.output).toMatchObject({ status: 'delivered' });
        expect(run.steps.map((s) => (s.kind === 'activity' ? s.name : s.kind))).toEqual([
            durableNames.decideAndDeliver,
        ]);
        expect(h.subRuns).toHaveLength(0);
        const record = h.deps.leads.records.get(leadId)!;
        expect(record.status).toBe('delivered');
        expect(record.completedAt).toBeDefined();
        expect(record.history.map((e) => e.kind)).toEqual([
            'received',
            'decided',
            'delivery-delivered',
            'delivery-delivered',
            'completed',
        ]);
        for (const target of ['leadWebhook', 'hubspot']) {
            const row = record.deliveries.find((d) => d.target === target)!;
            expect(row).toMatchObject({ status: 'delivered', attempts: 1, externalId: 'ext-1' });
            expect(row.inFlight).toBeUndefined();
            expect(row.claimedBy).toBeUndefined();
        }
    });

    it('when one target must retry then only that target gets a delivery sub-orchestration, from attempt 2, after the backoff', async () => {
        let hubspotCalls = 0;
        const hubspot: Behaviour = async () => {
            if (++hubspotCalls === 1) throw new TransientError('hubspot: HTTP 503', { status: 503 });
            return { action: 'sent', status: 200, externalId: 'h-2' };
        };
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        expect(run.output).toMatchObject({ status: 'delivered' });
        expect(h.subRuns).toHaveLength(1);
        const sub = run.steps.flatMap((s) => (s.kind === 'all' ? s.tasks : [])).map((t) => t.kind === 'sub' && t.input);
        expect(sub).toEqual([expect.objectContaining({ target: 'hubspot', firstAttempt: 2, deferrals: 0 })]);
        const timer = h.subRuns[0]!.steps.find((s) => s.kind === 'timer') as { fireAt: Date };
        expect(timer.fireAt.toISOString()).toBe('2026-11-21T06:00:35.000Z');
        // The notification goes out once the CRM has answered (so its card can link to the record).
        expect(h.calls.map((c) => [c.target, c.attempt])).toEqual([
            ['hubspot', 1],
            ['leadWebhook', 1],
            ['hubspot', 2],
        ]);
        const rows = h.deps.leads.records.get(leadId)!.deliveries;
        expect(rows.find((d) => d.target === 'hubspot')).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(rows.find((d) => d.target === 'leadWebhook')).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    it('when one target fails for good while another is still being called then the failed row is written at once', async () => {
        let release: (() => void) | undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        const h = pipelineHarness(['dynamics', 'hubspot'], {
            dynamics: async () => {
                throw new PermanentError('dynamics: HTTP 404', { status: 404 });
            },
            hubspot: async () => {
                await held;
                return { action: 'updated', status: 200, externalId: 'h-1' };
            },
        });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const running = h.run(leadId);
        for (
            let i = 0;
            i < 1000 &&
            h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'dynamics')?.status !== 'failed';
            i++
        )
            await new Promise((r) => setImmediate(r));
        const midway = structuredClone(h.deps.leads.records.get(leadId)!);
        release!();
        const run = await running;

        expect(midway.deliveries.find((d) => d.target === 'dynamics')).toMatchObject({
            status: 'failed',
            attempts: 1,
        });
        expect(midway.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({ status: 'pending', attempts: 0 });
        expect(midway.status).toBe('delivering');
        expect(run.output).toMatchObject({ status: 'partially-delivered' });
        expect(h.subRuns).toHaveLength(0);
    });

    it('when the CRM answers then the notification that follows links to the record it wrote', async () => {
        const seen: unknown[] = [];
        const h = pipelineHarness(['leadWebhook', 'hubspot'], {
            hubspot: async () => ({ action: 'created', status: 201, externalId: 'h-9' }),
            leadWebhook: async (request) => {
                seen.push(request.related);
                return { action: 'sent', status: 200 };
            },
        });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        const run = await h.run(leadId);
        expect(run.output).toMatchObject({ status: 'delivered' });
        expect(seen).toEqual([[{ target: 'hubspot', externalId: 'h-9' }]]);
    });

    it('when a run started before the first step delivered replays then it delivers through sub-orchestrations as it did', async () => {
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        // The history of such a run answers the first activity with decideLead's plan.
        h.activities[durableNames.decideAndDeliver] = h.activities[durableNames.decideLead]!;

        const run = await h.run(leadId);

        expect(run.output).toMatchObject({ status: 'delivered' });
        expect(h.subRuns).toHaveLength(1);
        expect(run.steps.at(-1)).toMatchObject({ kind: 'activity', name: durableNames.recordLeadOutcome });
        expect(webhookRow(h, leadId)).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    it('when the budget is exhausted before anything is sent then the attempt is not counted and is made again once the budget allows', async () => {
        let calls = 0;
        const h = pipelineHarness(['leadWebhook'], {}, (name) =>
            scripted(name, async () => {
                if (++calls === 1) throw budgetExhausted();
                return { action: 'sent', status: 200 };
            }),
        );
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        expect(run.output).toMatchObject({ status: 'delivered' });
        const sub = h.subRuns[0]!;
        expect(sub.steps[0]).toMatchObject({ kind: 'timer' });
        const record = h.deps.leads.records.get(leadId)!;
        expect(webhookRow(h, leadId)).toMatchObject({ status: 'delivered', attempts: 1 });
        expect(record.history.map((e) => e.kind)).toEqual([
            'received',
            'decided',
            'delivery-not-sent',
            'delivery-started',
            'delivery-delivered',
            'completed',
        ]);
    });

    it('when a request of the attempt was sent before the budget ran out then the attempt counts', async () => {
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        let sent = 0;
        const target = trackRequestsSent(
            scripted('leadWebhook', async () => {
                sent++;
                throw budgetExhausted();
            }),
            () => sent,
        );
        const logger = contextLogger(testContext('d').context);
        const deps = {
            leads: h.deps.leads,
            config: pipelineConfig,
            enabledTargets: new Set(['leadWebhook']),
            target: () => target,
            logger,
            now: h.deps.now,
        };

        const pass = await decideAndDeliver(deps, {
            leadId,
            now: new Date('2026-11-21T06:00:05.000Z'),
            runId: `lead-${leadId}`,
        });

        expect(pass.attempts[0]).toMatchObject({ target: 'leadWebhook', result: { outcome: 'transient' } });
        expect(webhookRow(h, leadId)).toMatchObject({ status: 'retrying', attempts: 1 });
    });

    it('when the worker stops during the first call then the activity run again counts that call in doubt and calls once more with the same key', async () => {
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        const keys: string[] = [];
        const hung = scripted('leadWebhook', (request) => {
            keys.push(request.idempotencyKey);
            return new Promise<DeliveryResult>(() => undefined);
        });
        const answering = scripted('leadWebhook', async (request) => {
            keys.push(request.idempotencyKey);
            return { action: 'sent', status: 200, externalId: 'w-1' };
        });
        const logger = contextLogger(testContext('d').context);
        const input = { leadId, now: new Date('2026-11-21T06:00:05.000Z'), runId: `lead-${leadId}` };
        const base = { leads: h.deps.leads, config: pipelineConfig, enabledTargets: new Set(['leadWebhook']), logger };

        void decideAndDeliver({ ...base, target: () => hung, now: () => new Date('2026-11-21T06:00:05.100Z') }, input);
        for (let i = 0; i < 100 && keys.length === 0; i++) await new Promise((r) => setImmediate(r));
        const midway = structuredClone(webhookRow(h, leadId));
        const again = await decideAndDeliver(
            { ...base, target: () => answering, now: () => new Date('2026-11-21T06:00:40.000Z') },
            input,
        );

        expect(midway).toMatchObject({ status: 'pending', attempts: 0 });
        expect(midway.inFlight).toEqual([{ attempt: 1, run: input.runId, since: '2026-11-21T06:00:05.100Z' }]);
        expect(again.recorded).toBe('delivered');
        expect(keys).toEqual([`${leadId}:leadWebhook`, `${leadId}:leadWebhook`]);
        const record = h.deps.leads.records.get(leadId)!;
        expect(webhookRow(h, leadId)).toMatchObject({
            status: 'delivered',
            attempts: 2,
            inDoubt: 1,
            externalId: 'w-1',
        });
        expect(webhookRow(h, leadId).inFlight).toBeUndefined();
        expect(record.history.find((e) => e.kind === 'delivery-in-doubt')).toEqual({
            at: '2026-11-21T06:00:40.000Z',
            kind: 'delivery-in-doubt',
            detail: { target: 'leadWebhook', attempt: 1, run: input.runId, since: '2026-11-21T06:00:05.100Z' },
        });
    });

    it('when a retry attempt is lost with its worker then the attempt run again counts it in doubt', async () => {
        let fail = true;
        const h = pipelineHarness(['leadWebhook'], {
            leadWebhook: async () => {
                if (fail) throw new TransientError('leadWebhook: HTTP 503', { status: 503 });
                return { action: 'sent', status: 200 };
            },
        });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        const logger = contextLogger(testContext('d').context);
        const runId = `lead-${leadId}`;
        await decideAndDeliver(
            {
                leads: h.deps.leads,
                config: pipelineConfig,
                enabledTargets: new Set(['leadWebhook']),
                target: () => scripted('leadWebhook', async () => Promise.reject(new TransientError('down'))),
                logger,
                now: h.deps.now,
            },
            { leadId, now: new Date('2026-11-21T06:00:05.000Z'), runId },
        );
        fail = false;
        const attempt = { leadId, target: 'leadWebhook', attempt: 2, force: false, runId, trace: {} };
        const hung = scripted('leadWebhook', () => new Promise<DeliveryResult>(() => undefined));
        void deliverToTarget(
            { leads: h.deps.leads, logger, target: () => hung, now: () => new Date('2026-11-21T06:01:00.000Z') },
            attempt,
        );
        for (let i = 0; i < 100; i++) await new Promise((r) => setImmediate(r));

        const result = await deliverToTarget(
            {
                leads: h.deps.leads,
                logger,
                target: () => scripted('leadWebhook', ok),
                now: () => new Date('2026-11-21T06:02:00.000Z'),
            },
            attempt,
        );

        expect(result).toMatchObject({ outcome: 'delivered' });
        expect(webhookRow(h, leadId)).toMatchObject({
            status: 'delivered',
            attempts: 3,
            inDoubt: 1,
        });
    });

    it('when a target already has its calls in flight in this worker then the first attempt is deferred, uncounted, and waits on a timer', async () => {
        const gate = createTargetGate(0);
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        const logger = contextLogger(testContext('d').context);

        const pass = await decideAndDeliver(
            {
                leads: h.deps.leads,
                config: pipelineConfig,
                enabledTargets: new Set(['leadWebhook']),
                target: () => scripted('leadWebhook', ok),
                logger,
                now: h.deps.now,
                gate,
            },
            { leadId, now: new Date('2026-11-21T06:00:05.000Z'), runId: `lead-${leadId}` },
        );

        expect(pass.attempts).toEqual([
            expect.objectContaining({
                target: 'leadWebhook',
                attempt: 1,
                result: expect.objectContaining({ outcome: 'deferred' }),
            }),
        ]);
        expect(pass.recorded).toBeUndefined();
        const record = h.deps.leads.records.get(leadId)!;
        expect(record.status).toBe('delivering');
        expect(webhookRow(h, leadId)).toMatchObject({ status: 'pending', attempts: 0 });
        expect(webhookRow(h, leadId).inFlight).toBeUndefined();
    });
});

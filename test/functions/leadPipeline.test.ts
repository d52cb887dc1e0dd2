/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { redeliveryPipelineOrchestrator } from '../../functions/redeliveryPipeline';
import { contextLogger } from '../../shared/app/contextLogger';
import { deliverToTarget } from '../../shared/app/deliverToTarget';
import { recordOutcome } from '../../shared/app/recordOutcome';
import { requestRedelivery } from '../../shared/app/requestRedelivery';
import { PermanentError, TransientError } from '../../shared/domain/errors';
import type { DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import { FakeStarter, testContext } from '../fakes/fakes';
import { fixture } from './helpers';
import { type Behaviour, pipelineConfig, pipelineHarness } from './pipelineHarness';

const ok: Behaviour = async () => ({ action: 'sent', status: 200, externalId: 'ext-1' });

describe('leadPipeline orchestration', () => {
    it('when a qualified lead arrives then it is decided, delivered to every routed target and recorded', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        const record = h.deps.leads.records.get(leadId)!;
        expect(run.output).toMatchObject({ leadId, status: 'delivered' });
        expect(record.status).toBe('delivered');
        expect(record.decision?.configVersion).toBe('2026-11-21.1');
        expect(
            record.deliveries
                .filter((d) => d.status === 'delivered')
                .map((d) => d.target)
                .sort(),
        ).toEqual(['hubspot', 'leadWebhook']);
        expect(record.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            attempts: 1,
            externalId: 'ext-1',
        });
        expect(h.calls.every((c) => c.idempotencyKey === `${leadId}:${c.target}`)).toBe(true);
        expect(run.customStatuses.at(-1)).toMatchObject({ stage: 'done', status: 'delivered' });
    });

    it('when the marketplace sends its test lead then it is destination-validated and never delivered', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('marketplace/https-test-lead.json'));

        const run = await h.run(leadId);

        expect(run.output).toMatchObject({ status: 'destination-validated' });
        expect(h.calls).toHaveLength(0);
        expect(h.deps.leads.records.get(leadId)!.status).toBe('destination-validated');
    });

    it('when the body is {} then the lead is recorded blank and never delivered, not sent to CRMs as grade D', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake('{}');

        const run = await h.run(leadId);

        const record = h.deps.leads.records.get(leadId)!;
        expect(run.output).toMatchObject({ status: 'blank' });
        expect(h.calls).toHaveLength(0);
        expect(record.status).toBe('blank');
        expect(record.decision?.qualification).toMatchObject({ outcome: 'blank' });
        expect(record.decision?.qualification.reasons.map((r) => r.ruleId)).toContain('builtin.blank-lead');
    });

    it('when the lead is DNC then only notify targets receive it', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-dnc-partner.json'));

        await h.run(leadId);

        const record = h.deps.leads.records.get(leadId)!;
        expect(h.calls.map((c) => c.target)).toEqual(['leadWebhook']);
        expect(record.deliveries.find((d) => d.target === 'hubspot')?.status).toBe('skipped');
        expect(record.status).toBe('delivered');
    });

    it('when a target throttles with Retry-After then the next attempt waits at least that long on a durable timer', async () => {
        let calls = 0;
        const throttled: Behaviour = async () => {
            if (++calls === 1)
                throw new TransientError('leadWebhook: HTTP 429', { status: 429, retryAfterMs: 120_000 });
            return { action: 'sent', status: 200 };
        };
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: throttled });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        const timers = h.subRuns[0]!.steps.filter((s) => s.kind === 'timer');
        expect(timers).toHaveLength(1);
        expect((timers[0] as { fireAt: Date }).fireAt.getTime()).toBeGreaterThanOrEqual(
            Date.parse('2026-11-21T06:02:05Z'),
        );
        expect(run.output).toMatchObject({ status: 'delivered' });
        expect(h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'delivered',
            attempts: 2,
        });
    });

    it('when a target rejects the lead permanently then it is not retried and the failure is recorded without personal data', async () => {
        const rejected: Behaviour = async () => {
            throw new PermanentError('leadWebhook: HTTP 400', { status: 400 });
        };
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: rejected });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        expect(h.calls).toHaveLength(1);
        expect(run.output).toMatchObject({ status: 'failed' });
        expect(h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'failed',
            attempts: 1,
            lastError: 'PermanentError: leadWebhook: HTTP 400',
            lastHttpStatus: 400,
        });
    });

    it('when a target keeps failing transiently then it stops after the configured attempts with growing backoff', async () => {
        const down: Behaviour = async () => {
            throw new TransientError('leadWebhook: HTTP 503', { status: 503 });
        };
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: down });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));

        const run = await h.run(leadId);

        const fireTimes = h.subRuns[0]!.steps.flatMap((s) => (s.kind === 'timer' ? [s.fireAt.getTime()] : []));
        const gaps = fireTimes.map((t, i) => t - (i === 0 ? Date.parse('2026-11-21T06:00:05Z') : fireTimes[i - 1]!));
        expect(h.calls).toHaveLength(8);
        expect(gaps.slice(0, 3)).toEqual([30_000, 60_000, 120_000]);
        expect(run.output).toMatchObject({ status: 'failed' });
    });

    it('when a failed delivery is redelivered later then only that target is called and the decision is kept', async () => {
        let fail = true;
        const flaky: Behaviour = async () => {
            if (fail) throw new PermanentError('leadWebhook: HTTP 404', { status: 404 });
            return { action: 'sent', status: 201, externalId: 'r-9' };
        };
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: flaky, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const decidedAt = h.deps.leads.records.get(leadId)!.decision!.decidedAt;
        expect(h.deps.leads.records.get(leadId)!.status).toBe('partially-delivered');
        fail = false;
        h.calls.length = 0;

        await h.run(leadId, redeliveryPipelineOrchestrator, {
            leadId,
            receivedAt: '2026-11-21T06:00:04.000Z',
            targets: ['leadWebhook'],
            force: false,
            trace: {},
        });

        const record = h.deps.leads.records.get(leadId)!;
        expect(h.calls.map((c) => c.target)).toEqual(['leadWebhook']);
        expect(record.status).toBe('delivered');
        expect(record.decision!.decidedAt).toBe(decidedAt);
        expect(record.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'delivered',
            externalId: 'r-9',
        });
    });

    it('when two forced redeliveries of one target run at once then both attempts are counted', async () => {
        let hold: (() => void) | undefined;
        let waiting = 0;
        const gate = new Promise<void>((resolve) => (hold = resolve));
        let together = false;
        const slow: Behaviour = async () => {
            // Both attempts have read the stored row before either writes: the lost-update window.
            if (together && ++waiting === 2) hold!();
            if (together) await gate;
            return { action: 'sent', status: 200, externalId: 'ext-1' };
        };
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: slow });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        together = true;
        const target: DeliveryTarget = {
            name: 'leadWebhook',
            type: 'webhook',
            role: 'notify',
            deliver: (request) => slow(request),
            checkHealth: async (now) => ({
                target: 'leadWebhook',
                type: 'webhook',
                ok: true,
                checkedAt: now.toISOString(),
            }),
        };
        const deps = {
            leads: h.deps.leads,
            now: h.deps.now,
            logger: contextLogger(testContext('d').context),
            target: () => target,
        };
        const attempt = { leadId, target: 'leadWebhook', attempt: 1, force: true, runId: 'redeliver-t', trace: {} };

        const results = await Promise.all([deliverToTarget(deps, attempt), deliverToTarget(deps, attempt)]);

        expect(results.map((r) => r.outcome)).toEqual(['delivered', 'delivered']);
        expect(h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'delivered',
            attempts: 3,
        });
        expect(h.deps.leads.records.get(leadId)!.history.filter((e) => e.kind === 'delivery-delivered')).toHaveLength(
            3,
        );
    });

    it('when a target rejects the lead permanently then its row is failed at once, before the outcome is recorded', async () => {
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const rejecting: DeliveryTarget = {
            name: 'leadWebhook',
            type: 'webhook',
            role: 'notify',
            deliver: () => Promise.reject(new PermanentError('leadWebhook: HTTP 400', { status: 400 })),
            checkHealth: async (now) => ({
                target: 'leadWebhook',
                type: 'webhook',
                ok: true,
                checkedAt: now.toISOString(),
            }),
        };
        const deps = {
            leads: h.deps.leads,
            now: h.deps.now,
            logger: contextLogger(testContext('d').context),
            target: () => rejecting,
        };

        await deliverToTarget(deps, {
            leadId,
            target: 'leadWebhook',
            attempt: 1,
            force: true,
            runId: 'redeliver-t',
            trace: {},
        });

        expect(h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'failed',
            attempts: 2,
            lastHttpStatus: 400,
        });
    });

    it('when a redelivery finishes while another target is still retrying then the lead stays delivering', async () => {
        let fail = true;
        const flaky: Behaviour = async () => {
            if (fail) throw new PermanentError('leadWebhook: HTTP 404', { status: 404 });
            return { action: 'sent', status: 201, externalId: 'r-9' };
        };
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: flaky, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        fail = false;
        // Another run is between two attempts of HubSpot.
        const hubspot = h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'hubspot')!;
        Object.assign(hubspot, { status: 'retrying', lastError: 'TransientError: hubspot: HTTP 429' });

        const run = await h.run(leadId, redeliveryPipelineOrchestrator, {
            leadId,
            receivedAt: '2026-11-21T06:00:04.000Z',
            targets: ['leadWebhook'],
            force: true,
            trace: {},
        });

        const record = h.deps.leads.records.get(leadId)!;
        expect(run.output).toMatchObject({ status: 'delivering' });
        expect(record.status).toBe('delivering');
        expect(record.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({ status: 'delivered' });
        expect(record.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({ status: 'retrying' });
    });

    it('when a redelivery succeeds while the first run still waits on another target then the older outcome does not overwrite it', async () => {
        let rejectWebhook = true;
        const webhook: Behaviour = async () => {
            if (rejectWebhook) throw new PermanentError('leadWebhook: HTTP 404', { status: 404 });
            return { action: 'sent', status: 201, externalId: 'r-9' };
        };
        let releaseHubspot: (() => void) | undefined;
        const held = new Promise<void>((resolve) => (releaseHubspot = resolve));
        let hubspotCalls = 0;
        // The first attempt fails for now; the retry (in the run's delivery of that target) is held.
        const hubspot: Behaviour = async () => {
            if (++hubspotCalls === 1) throw new TransientError('hubspot: HTTP 503', { status: 503 });
            await held;
            return { action: 'sent', status: 200, externalId: 'h-1' };
        };
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: webhook, hubspot });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        const row = (target: string) => h.deps.leads.records.get(leadId)?.deliveries.find((d) => d.target === target);
        const firstRun = h.run(leadId);
        for (let i = 0; i < 1000 && !(row('leadWebhook')?.status === 'failed' && hubspotCalls === 2); i++) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        rejectWebhook = false;
        const starter = new FakeStarter();
        const logger = contextLogger(testContext('r').context);
        const deps = { leads: h.deps.leads, starter, logger, now: h.deps.now, traceCarrier: () => ({}) };

        const requested = await requestRedelivery(deps, leadId, 'leadWebhook');
        await h.run(leadId, redeliveryPipelineOrchestrator, [...starter.instances.values()][0]!.input);
        const midway = structuredClone(h.deps.leads.records.get(leadId)!);
        releaseHubspot!();
        const first = await firstRun;

        expect(requested).toMatchObject({ kind: 'started', targets: ['leadWebhook'] });
        expect(midway.status).toBe('delivering');
        expect(midway.completedAt).toBeUndefined();
        expect(first.output).toMatchObject({ status: 'delivered' });
        const record = h.deps.leads.records.get(leadId)!;
        expect(record.status).toBe('delivered');
        expect(row('leadWebhook')).toMatchObject({ status: 'delivered', attempts: 2, externalId: 'r-9' });
        expect(row('leadWebhook')!.lastError).toBeUndefined();
        expect(row('hubspot')).toMatchObject({ status: 'delivered', attempts: 2, externalId: 'h-1' });
        expect(record.history.filter((e) => e.kind === 'completed')).toHaveLength(2);
    });

    describe('recording a run that gave up', () => {
        const transient = 'TransientError: leadWebhook: HTTP 503';
        const setUp = async (row: { status: 'pending' | 'retrying'; claimedBy: string }) => {
            const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
            const leadId = await h.intake(fixture('https-pascal-campaign.json'));
            await h.run(leadId);
            const record = (await h.deps.leads.get(leadId))!;
            const webhook = record.deliveries.find((d) => d.target === 'leadWebhook')!;
            await h.deps.leads.commitDeliveries(record, {
                deliveries: [{ ...webhook, ...row, lastError: transient, lastHttpStatus: 503 }],
                status: 'delivering',
                history: { at: '2026-11-21T06:00:06.000Z', kind: 'test-setup' },
                now: new Date('2026-11-21T06:00:06.000Z'),
            });
            const recordGaveUp = async (runId: string) =>
                recordOutcome(
                    { leads: h.deps.leads, logger: contextLogger(testContext('o').context), now: h.deps.now },
                    {
                        leadId,
                        receivedAt: '2026-11-21T06:00:04.000Z',
                        runId,
                        outcomes: [
                            {
                                target: 'leadWebhook',
                                status: 'failed',
                                attempts: 3,
                                lastError: transient,
                                lastHttpStatus: 503,
                            },
                        ],
                    },
                );
            const webhookRow = () =>
                h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook');
            return { leadId, record: recordGaveUp, row: webhookRow };
        };

        it('when the row is still claimed by the run then it becomes failed and the lead is finished', async () => {
            const t = await setUp({ status: 'retrying', claimedBy: 'redeliver-a' });

            const status = await t.record('redeliver-a');

            expect(status).toBe('failed');
            expect(t.row()).toMatchObject({ status: 'failed', lastError: transient, lastHttpStatus: 503 });
            expect(t.row()!.claimedBy).toBeUndefined();
        });

        it('when a newer run holds the claim and failed with the very same error then its claim is kept', async () => {
            const t = await setUp({ status: 'retrying', claimedBy: 'redeliver-b' });

            const status = await t.record('redeliver-a');

            expect(status).toBe('delivering');
            expect(t.row()).toMatchObject({ status: 'retrying', claimedBy: 'redeliver-b' });
        });
    });

    it('when a target is claimed for a redelivery before the first run records then the claim is kept', async () => {
        const rejected: Behaviour = async () => {
            throw new PermanentError('leadWebhook: HTTP 404', { status: 404 });
        };
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: rejected });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const record = await h.deps.leads.get(leadId);
        const webhook = record!.deliveries.find((d) => d.target === 'leadWebhook')!;
        await h.deps.leads.commitDeliveries(record!, {
            deliveries: [{ ...webhook, status: 'pending', claimedBy: 'redeliver-1' }],
            status: 'delivering',
            history: { at: '2026-11-21T06:00:06.000Z', kind: 'redelivery-requested' },
            now: new Date('2026-11-21T06:00:06.000Z'),
        });

        const status = await recordOutcome(
            { leads: h.deps.leads, logger: contextLogger(testContext('o').context), now: h.deps.now },
            {
                leadId,
                receivedAt: '2026-11-21T06:00:04.000Z',
                runId: `lead-${leadId}`,
                outcomes: [{ target: 'leadWebhook', status: 'failed', attempts: 1, lastError: webhook.lastError }],
            },
        );

        expect(status).toBe('delivering');
        expect(h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'pending',
            attempts: 1,
        });
    });

    it('when a run crashes while a target is retrying then its claim expires after the deadline plus margin and a redelivery delivers it', async () => {
        let attempts = 0;
        const h = pipelineHarness(['leadWebhook'], {
            leadWebhook: async () => {
                attempts += 1;
                // The second attempt's row cannot be written: the activity fails past its retries, the run dies.
                if (attempts === 2) h.deps.leads.failWith = new Error('storage unavailable');
                if (attempts <= 2) throw new TransientError('leadWebhook: HTTP 503', { status: 503 });
                return { action: 'sent', status: 200, externalId: 'late-1' };
            },
        });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await expect(h.run(leadId)).rejects.toThrow('storage unavailable');
        h.deps.leads.failWith = undefined;
        const stuck = h.deps.leads.records.get(leadId)!;
        const webhook = (r: typeof stuck) => r.deliveries.find((d) => d.target === 'leadWebhook')!;
        expect(stuck.status).toBe('delivering');
        expect(webhook(stuck)).toMatchObject({ status: 'retrying', attempts: 1 });
        const lastChange = Date.parse(webhook(stuck).updatedAt);
        const limit = (pipelineConfig.delivery.deadlineMinutes + 10) * 60_000;
        const redeliver = (now: number) =>
            requestRedelivery(
                {
                    leads: h.deps.leads,
                    starter: new FakeStarter(),
                    logger: contextLogger(testContext('r').context),
                    now: () => new Date(now),
                    traceCarrier: () => ({}),
                    delivery: pipelineConfig.delivery,
                },
                leadId,
                undefined,
            );

        const early = await redeliver(lastChange + limit);
        const late = await redeliver(lastChange + limit + 60_000);
        await h.run(leadId, redeliveryPipelineOrchestrator, {
            leadId,
            receivedAt: '2026-11-21T06:00:04.000Z',
            targets: ['leadWebhook'],
            force: false,
            trace: {},
        });

        expect(early).toMatchObject({ kind: 'being-delivered', target: 'leadWebhook' });
        expect(late).toMatchObject({ kind: 'started', targets: ['leadWebhook'] });
        const record = h.deps.leads.records.get(leadId)!;
        expect(record.history.find((e) => e.kind === 'claim-expired')?.detail).toMatchObject({
            target: 'leadWebhook',
            status: 'retrying',
        });
        expect(record.status).toBe('delivered');
        expect(webhook(record)).toMatchObject({ status: 'delivered', externalId: 'late-1', attempts: 2 });
        expect(webhook(record).claimedBy).toBeUndefined();
    });
    it('when a target skipped as not configured is configured later then its redelivery delivers it; a DNC outreach target stays skipped', async () => {
        const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const before = h.deps.leads.records.get(leadId)!;
        expect(before.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({
            status: 'skipped',
            skippedReason: expect.stringContaining('not configured'),
        });
        const starter = new FakeStarter();
        const redeliver = (enabled: string[], target?: string) =>
            requestRedelivery(
                {
                    leads: h.deps.leads,
                    starter,
                    logger: contextLogger(testContext('r').context),
                    now: () => new Date('2026-11-21T07:00:00.000Z'),
                    traceCarrier: () => ({}),
                    delivery: pipelineConfig.delivery,
                    targets: { enabled: new Set(enabled), deliverTo: pipelineConfig.qualification.deliverTo },
                },
                leadId,
                target,
            );

        // Still not configured: the answer names the skip, as before.
        const refused = await redeliver(['leadWebhook'], 'hubspot');
        const started = await redeliver(['leadWebhook', 'hubspot'], 'hubspot');
        h.calls.length = 0;
        await h.run(leadId, redeliveryPipelineOrchestrator, [...starter.instances.values()][0]!.input);

        expect(refused).toMatchObject({ kind: 'not-deliverable', message: expect.stringContaining('skipped') });
        expect(started).toMatchObject({ kind: 'started', targets: ['hubspot'] });
        expect(h.calls.map((c) => c.target)).toEqual(['hubspot']);
        const after = h.deps.leads.records.get(leadId)!;
        expect(after.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({
            status: 'delivered',
            attempts: 1,
            externalId: 'ext-1',
        });
        expect(after.deliveries.find((d) => d.target === 'hubspot')?.skippedReason).toBeUndefined();
        expect(after.status).toBe('delivered');

        const dnc = pipelineHarness(['leadWebhook'], { leadWebhook: ok, hubspot: ok });
        const dncId = await dnc.intake(fixture('https-dnc-partner.json'));
        await dnc.run(dncId);
        const dncAnswer = await requestRedelivery(
            {
                leads: dnc.deps.leads,
                starter: new FakeStarter(),
                logger: contextLogger(testContext('r').context),
                now: () => new Date('2026-11-21T07:00:00.000Z'),
                traceCarrier: () => ({}),
                targets: {
                    enabled: new Set(['leadWebhook', 'hubspot']),
                    deliverTo: pipelineConfig.qualification.deliverTo,
                },
            },
            dncId,
            'hubspot',
        );
        expect(dncAnswer).toMatchObject({
            kind: 'not-deliverable',
            message: expect.stringContaining('do-not-contact'),
        });
    });
});

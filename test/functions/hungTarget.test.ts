/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { targetDeliveryOrchestrator } from '../../functions/targetDelivery';
import { contextLogger } from '../../shared/app/contextLogger';
import { deliverToTarget } from '../../shared/app/deliverToTarget';
import type { DeliverAttemptResult, TargetDeliveryInput } from '../../shared/app/pipelineTypes';
import { createTargetGate } from '../../shared/app/targetGate';
import type { DeliveryResult, DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import { testContext } from '../fakes/fakes';
import { runOrchestrator } from '../fakes/orchestrationDriver';
import { fixture } from './helpers';
import { type Behaviour, pipelineConfig, pipelineHarness } from './pipelineHarness';

const ok: Behaviour = async () => ({ action: 'sent', status: 200 });

/** A target whose calls hang until the test lets them answer. */
function hanging(name: string) {
    const waiting: (() => void)[] = [];
    const target: DeliveryTarget = {
        name,
        type: 'webhook',
        role: 'notify',
        deliver: () =>
            new Promise<DeliveryResult>((resolve) => waiting.push(() => resolve({ action: 'sent', status: 200 }))),
        checkHealth: async (now) => ({ target: name, type: 'webhook', ok: true, checkedAt: now.toISOString() }),
    };
    return { target, answerOne: () => waiting.shift()?.() };
}

describe('a hung target', () => {
    it('when a target already has its calls in flight in this worker then its next attempt is deferred at once, uncounted, and other targets go on', async () => {
        const h = pipelineHarness(['leadWebhook', 'salesTeams'], { leadWebhook: ok, salesTeams: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const slow = hanging('leadWebhook');
        const fast: DeliveryTarget = { ...hanging('salesTeams').target, deliver: async () => ({ action: 'sent' }) };
        const deps = {
            leads: h.deps.leads,
            now: h.deps.now,
            logger: contextLogger(testContext('d').context),
            target: (name: string) => (name === 'leadWebhook' ? slow.target : fast),
            gate: createTargetGate(2),
        };
        const attempt = (target: string, n: number) =>
            deliverToTarget(deps, { leadId, target, attempt: n, force: true, runId: 'redeliver-t', trace: {} });
        const before = h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')!.attempts;

        const inFlight = [attempt('leadWebhook', 1), attempt('leadWebhook', 1)];
        await new Promise((r) => setImmediate(r));
        const third = await attempt('leadWebhook', 1);
        const other = await attempt('salesTeams', 1);
        slow.answerOne();
        await inFlight[0];
        const afterOneFreed = attempt('leadWebhook', 1);
        await new Promise((r) => setImmediate(r));
        slow.answerOne();
        slow.answerOne();
        await Promise.all([inFlight[1], afterOneFreed]);

        expect(third).toEqual({ outcome: 'deferred', reason: 'leadWebhook has as many calls in flight as it may' });
        expect(other.outcome).toBe('delivered');
        expect((await afterOneFreed).outcome).toBe('delivered');
        const row = h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')!;
        expect(row.attempts).toBe(before + 3);
    });

    it('when an attempt is deferred then the orchestration waits on a growing durable timer and tries the same attempt again', async () => {
        const answers: DeliverAttemptResult[] = [
            { outcome: 'deferred', reason: 'busy' },
            { outcome: 'deferred', reason: 'busy' },
            { outcome: 'delivered', alreadyDelivered: false, httpStatus: 200 },
        ];
        const input: TargetDeliveryInput = {
            leadId: 'lk-1',
            target: 'leadWebhook',
            deadline: '2026-11-22T06:00:00.000Z',
            policy: pipelineConfig.delivery,
            force: false,
            runId: 'lead-lk-1',
            trace: {},
        };

        const run = await runOrchestrator(targetDeliveryOrchestrator, input, () => answers.shift(), {
            now: new Date('2026-11-21T06:00:00.000Z'),
        });

        const timers = run.steps.filter((s) => s.kind === 'timer').map((s) => s.fireAt.toISOString());
        const attempts = run.steps.flatMap((s) =>
            s.kind === 'activity' ? [(s.input as { attempt: number }).attempt] : [],
        );
        expect(timers).toEqual(['2026-11-21T06:00:05.000Z', '2026-11-21T06:00:15.000Z']);
        expect(attempts).toEqual([1, 1, 1]);
        expect(run.output).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    it('when a target stays busy past the deadline then the delivery fails, counting only the attempts made', async () => {
        const input: TargetDeliveryInput = {
            leadId: 'lk-1',
            target: 'leadWebhook',
            deadline: '2026-11-21T06:01:00.000Z',
            policy: pipelineConfig.delivery,
            force: false,
            runId: 'lead-lk-1',
            trace: {},
        };

        const run = await runOrchestrator(
            targetDeliveryOrchestrator,
            input,
            (): DeliverAttemptResult => ({
                outcome: 'deferred',
                reason: 'leadWebhook has as many calls in flight as it may',
            }),
            { now: new Date('2026-11-21T06:00:00.000Z') },
        );

        expect(run.output).toEqual({
            target: 'leadWebhook',
            status: 'failed',
            attempts: 0,
            lastError: 'deferred until the deadline: leadWebhook has as many calls in flight as it may',
            lastHttpStatus: undefined,
        });
        // 5 + 10 + 20 s waits fit before the deadline; the 40 s one would not.
        expect(run.steps.filter((s) => s.kind === 'timer')).toHaveLength(3);
    });
});

/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createDecideAndDeliverActivity } from '../../functions/decideAndDeliver';
import { createDecideLeadActivity } from '../../functions/decideLead';
import { createDeliverToTargetActivity } from '../../functions/deliverToTarget';
import { leadPipelineOrchestrator } from '../../functions/leadPipeline';
import { createMarketplaceLeadWebhook } from '../../functions/marketplaceLeadWebhook';
import { createRecordLeadOutcomeActivity } from '../../functions/recordLeadOutcome';
import { targetDeliveryOrchestrator } from '../../functions/targetDelivery';
import { parsePipelineConfig } from '../../shared/domain/index';
import { durableNames } from '../../shared/names';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import { testContext } from '../fakes/fakes';
import { type DriverResult, runOrchestrator, type Step } from '../fakes/orchestrationDriver';
import { intakeDeps, post } from './helpers';

export const pipelineConfig = parsePipelineConfig(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'pipeline.json'), 'utf8')),
);

export type Behaviour = (request: DeliveryRequest) => Promise<DeliveryResult>;

/** Intake + the whole orchestration with in-memory storage and scripted targets. */
export function pipelineHarness(
    enabled: string[],
    behaviours: Record<string, Behaviour>,
    /** Builds a target instead of the scripted ones (e.g. one that throws a `ConfigError`). */
    build?: (name: string) => DeliveryTarget | undefined,
) {
    const deps = intakeDeps();
    const calls: { target: string; attempt: number; idempotencyKey: string }[] = [];
    const scripted = (name: string): DeliveryTarget | undefined => {
        const behaviour = behaviours[name];
        if (behaviour === undefined) return undefined;
        return {
            name,
            type: 'webhook',
            role: pipelineConfig.targets[name]!.role,
            deliver: (request) => {
                calls.push({ target: name, attempt: request.attempt, idempotencyKey: request.idempotencyKey });
                return behaviour(request);
            },
            checkHealth: async (now) => ({ target: name, type: 'webhook', ok: true, checkedAt: now.toISOString() }),
        };
    };
    const target = build ?? scripted;
    const activities: Record<string, (input: unknown) => Promise<unknown>> = {
        [durableNames.decideLead]: (input) =>
            createDecideLeadActivity(() => ({
                leads: deps.leads,
                config: pipelineConfig,
                enabledTargets: new Set(enabled),
            }))(input, testContext('decideLead').context),
        [durableNames.decideAndDeliver]: (input) =>
            createDecideAndDeliverActivity(() => ({
                leads: deps.leads,
                config: pipelineConfig,
                enabledTargets: new Set(enabled),
                now: deps.now,
                target,
            }))(input, testContext('decideAndDeliver').context),
        [durableNames.deliverToTarget]: (input) =>
            createDeliverToTargetActivity(() => ({ leads: deps.leads, now: deps.now, target }))(
                input,
                testContext('deliverToTarget').context,
            ),
        [durableNames.recordLeadOutcome]: (input) =>
            createRecordLeadOutcomeActivity(() => ({ leads: deps.leads, now: deps.now }))(
                input,
                testContext('recordLeadOutcome').context,
            ),
    };
    const subRuns: DriverResult[] = [];
    const answer = async (step: Exclude<Step, { kind: 'all' } | { kind: 'timer' }>, now: Date): Promise<unknown> => {
        if (step.kind === 'activity') return activities[step.name]!(step.input);
        const sub = await runOrchestrator(targetDeliveryOrchestrator, step.input, answer, { now });
        subRuns.push(sub);
        return sub.output;
    };
    return {
        deps,
        calls,
        subRuns,
        /** The activities the orchestrations call, by name (a test may replace one). */
        activities,
        async intake(body: string): Promise<string> {
            const res = await createMarketplaceLeadWebhook(() => deps)(post(body), testContext('w').context);
            if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
            return (res.jsonBody as { leadId: string }).leadId;
        },
        run: (leadId: string, handler = leadPipelineOrchestrator, input?: unknown) =>
            runOrchestrator(handler, input ?? { leadId, receivedAt: '2026-11-21T06:00:04.000Z', trace: {} }, answer, {
                now: new Date('2026-11-21T06:00:05.000Z'),
                instanceId: `lead-${leadId}`,
            }),
    };
}

import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import type { DecisionPlan, RedeliveryInput, TargetDeliveryInput, TargetOutcome } from '../shared/app/pipelineTypes';
import { durableNames } from '../shared/names';
import type { LeadStatus } from '../shared/ports/LeadRepository';
import type { DecideActivityInput } from './decideLead';
import type { RecordOutcomeActivityInput } from './recordLeadOutcome';

/**
 * Delivery only, for a lead already decided: the stored decision is reused (the decide activity returns it without
 * deciding again), the named targets are delivered with the usual retries, and the outcome is recorded.
 */
export const redeliveryPipelineOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<RedeliveryInput>();
    context.df.setCustomStatus({ stage: 'loading' });
    const plan = (yield context.df.callActivity(durableNames.decideLead, {
        leadId: input.leadId,
        now: context.df.currentUtcDateTime.toISOString(),
        trace: input.trace,
    } satisfies DecideActivityInput)) as DecisionPlan;
    context.df.setCustomStatus({ stage: 'delivering', targets: input.targets });
    const deadline = new Date(
        context.df.currentUtcDateTime.getTime() + plan.policy.deadlineMinutes * 60_000,
    ).toISOString();
    const outcomes = (yield context.df.Task.all(
        input.targets.map((target) =>
            context.df.callSubOrchestrator(
                durableNames.targetDelivery,
                {
                    leadId: input.leadId,
                    target,
                    deadline,
                    policy: plan.policy,
                    force: input.force,
                    trace: input.trace,
                } satisfies TargetDeliveryInput,
                `${context.df.instanceId}:${target}`,
            ),
        ),
    )) as TargetOutcome[];
    const status = (yield context.df.callActivity(durableNames.recordLeadOutcome, {
        leadId: input.leadId,
        receivedAt: input.receivedAt,
        outcomes,
        trace: input.trace,
    } satisfies RecordOutcomeActivityInput)) as LeadStatus;
    context.df.setCustomStatus({ stage: 'done', status });
    return { leadId: input.leadId, status, outcomes };
};

df.app.orchestration(durableNames.redeliveryPipeline, redeliveryPipelineOrchestrator);

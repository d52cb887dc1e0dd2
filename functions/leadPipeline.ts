import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import type { DecisionPlan, PipelineInput, TargetDeliveryInput, TargetOutcome } from '../shared/app/pipelineTypes';
import { durableNames } from '../shared/names';
import type { LeadStatus } from '../shared/ports/LeadRepository';
import type { DecideActivityInput } from './decideLead';
import type { RecordOutcomeActivityInput } from './recordLeadOutcome';

export interface PipelineOutput {
    leadId: string;
    status: LeadStatus;
    outcomes: TargetOutcome[];
}

/**
 * decide (qualify → score → route, in an activity so the config version that decided is stored) → deliver to every
 * routed target in parallel (one sub-orchestration each: retries, Retry-After, deadline) → record the outcome.
 * Deterministic: time from `currentUtcDateTime`, I/O only in activities.
 */
export const leadPipelineOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<PipelineInput>();
    context.df.setCustomStatus({ stage: 'deciding' });
    const plan = (yield context.df.callActivity(durableNames.decideLead, {
        leadId: input.leadId,
        now: context.df.currentUtcDateTime.toISOString(),
        trace: input.trace,
    } satisfies DecideActivityInput)) as DecisionPlan;
    if (plan.finalStatus !== undefined) {
        context.df.setCustomStatus({ stage: 'done', status: plan.finalStatus, grade: plan.grade });
        return { leadId: input.leadId, status: plan.finalStatus, outcomes: [] } satisfies PipelineOutput;
    }
    context.df.setCustomStatus({ stage: 'delivering', grade: plan.grade, targets: plan.targets });
    const deadline = new Date(
        context.df.currentUtcDateTime.getTime() + plan.policy.deadlineMinutes * 60_000,
    ).toISOString();
    const outcomes = (yield context.df.Task.all(
        plan.targets.map((target) =>
            context.df.callSubOrchestrator(
                durableNames.targetDelivery,
                {
                    leadId: input.leadId,
                    target,
                    deadline,
                    policy: plan.policy,
                    force: false,
                    trace: input.trace,
                } satisfies TargetDeliveryInput,
                `${context.df.instanceId}:${target}`,
            ),
        ),
    )) as TargetOutcome[];
    context.df.setCustomStatus({ stage: 'recording', grade: plan.grade });
    const status = (yield context.df.callActivity(durableNames.recordLeadOutcome, {
        leadId: input.leadId,
        receivedAt: input.receivedAt,
        outcomes,
        trace: input.trace,
    } satisfies RecordOutcomeActivityInput)) as LeadStatus;
    context.df.setCustomStatus({ stage: 'done', status, grade: plan.grade });
    return { leadId: input.leadId, status, outcomes } satisfies PipelineOutput;
};

df.app.orchestration(durableNames.leadPipeline, leadPipelineOrchestrator);

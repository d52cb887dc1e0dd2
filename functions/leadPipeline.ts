import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import { callDecideLead } from '../shared/app/callDecideLead';
import { deliverAndRecord } from '../shared/app/deliverAndRecord';
import type { PipelineInput, TargetOutcome } from '../shared/app/pipelineTypes';
import type { LeadStatus } from '../shared/domain/index';
import { durableNames } from '../shared/names';

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
    const plan = yield* callDecideLead(context, input.leadId, input.trace);
    if (plan.finalStatus !== undefined) {
        context.df.setCustomStatus({ stage: 'done', status: plan.finalStatus, grade: plan.grade });
        return { leadId: input.leadId, status: plan.finalStatus, outcomes: [] } satisfies PipelineOutput;
    }
    context.df.setCustomStatus({ stage: 'delivering', grade: plan.grade, targets: plan.targets });
    const { status, outcomes } = yield* deliverAndRecord(context, {
        leadId: input.leadId,
        receivedAt: input.receivedAt,
        targets: plan.targets,
        policy: plan.policy,
        force: false,
        trace: input.trace,
        statusDetails: { grade: plan.grade },
    });
    context.df.setCustomStatus({ stage: 'done', status, grade: plan.grade });
    return { leadId: input.leadId, status, outcomes } satisfies PipelineOutput;
};

df.app.orchestration(durableNames.leadPipeline, leadPipelineOrchestrator);

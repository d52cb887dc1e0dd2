import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import { callDecideLead } from '../shared/app/callDecideLead';
import { deliverAndRecord } from '../shared/app/deliverAndRecord';
import type { RedeliveryInput } from '../shared/app/pipelineTypes';
import { durableNames } from '../shared/names';

/**
 * Delivery only, for a lead already decided: the stored decision is reused (the decide activity returns it without
 * deciding again), the named targets are delivered with the usual retries, and the outcome is recorded.
 */
export const redeliveryPipelineOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<RedeliveryInput>();
    context.df.setCustomStatus({ stage: 'loading' });
    const plan = yield* callDecideLead(context, input.leadId, input.trace);
    context.df.setCustomStatus({ stage: 'delivering', targets: input.targets });
    const { status, outcomes } = yield* deliverAndRecord(context, {
        leadId: input.leadId,
        receivedAt: input.receivedAt,
        targets: input.targets,
        policy: plan.policy,
        force: input.force,
        trace: input.trace,
    });
    context.df.setCustomStatus({ stage: 'done', status });
    return { leadId: input.leadId, status, outcomes };
};

df.app.orchestration(durableNames.redeliveryPipeline, redeliveryPipelineOrchestrator);

import type { OrchestrationContext, Task } from 'durable-functions';

import { durableNames } from '../names';
import type { DecideActivityInput, DecisionPlan, TraceCarrier } from './pipelineTypes';

/**
 * The decide activity as both orchestrations call it, used with `yield*`: the orchestration clock as `now` and the
 * calling instance as the run that will own the rows a first decision writes.
 */
export function* callDecideLead(
    context: OrchestrationContext,
    leadId: string,
    trace: TraceCarrier,
): Generator<Task, DecisionPlan, unknown> {
    return (yield context.df.callActivity(durableNames.decideLead, {
        leadId,
        now: context.df.currentUtcDateTime.toISOString(),
        runId: context.df.instanceId,
        trace,
    } satisfies DecideActivityInput)) as DecisionPlan;
}

import type { OrchestrationContext, Task } from 'durable-functions';

import type { LeadStatus } from '../domain/index';
import { durableNames, instanceIds } from '../names';
import {
    type DeliveryPolicy,
    type RecordOutcomeActivityInput,
    type TargetDeliveryInput,
    type TargetOutcome,
    type TraceCarrier,
} from './pipelineTypes';

export interface DeliverAndRecordRequest {
    leadId: string;
    receivedAt: string;
    targets: string[];
    policy: DeliveryPolicy;
    /** Deliver even to a target that already succeeded (explicit redelivery). */
    force: boolean;
    trace: TraceCarrier;
    /** Shown with `stage: 'recording'` in the custom status while the outcome is recorded. */
    statusDetails?: Record<string, unknown>;
}

/**
 * The delivery half of both orchestrations, used with `yield*`: every target in parallel (one `targetDelivery`
 * sub-orchestration each, with its own retries until the deadline), then one `recordLeadOutcome`. Deterministic: the
 * deadline comes from the orchestration clock and each child's instance id from the parent's.
 */
export function* deliverAndRecord(
    context: OrchestrationContext,
    request: DeliverAndRecordRequest,
): Generator<Task, { status: LeadStatus; outcomes: TargetOutcome[] }, unknown> {
    const { leadId, receivedAt, targets, policy, force, trace } = request;
    const deadline = new Date(context.df.currentUtcDateTime.getTime() + policy.deadlineMinutes * 60_000).toISOString();
    const outcomes = (yield context.df.Task.all(
        targets.map((target) =>
            context.df.callSubOrchestrator(
                durableNames.targetDelivery,
                {
                    leadId,
                    target,
                    deadline,
                    policy,
                    force,
                    runId: context.df.instanceId,
                    trace,
                } satisfies TargetDeliveryInput,
                instanceIds.targetDelivery(context.df.instanceId, target),
            ),
        ),
    )) as TargetOutcome[];
    context.df.setCustomStatus({ stage: 'recording', ...request.statusDetails });
    const status = (yield context.df.callActivity(durableNames.recordLeadOutcome, {
        leadId,
        receivedAt,
        runId: context.df.instanceId,
        outcomes,
        trace,
    } satisfies RecordOutcomeActivityInput)) as LeadStatus;
    return { status, outcomes };
}

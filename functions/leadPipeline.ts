import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import * as df from 'durable-functions';

import { deliverAndRecord } from '../shared/app/deliverAndRecord';
import type {
    DecideAndDeliverActivityInput,
    DeliverAttemptResult,
    DeliveryPolicy,
    FirstAttempt,
    FirstPass,
    PipelineInput,
    RecordOutcomeActivityInput,
    TargetDeliveryInput,
    TargetOutcome,
} from '../shared/app/pipelineTypes';
import { deferralDelayMs, nextAttemptAt } from '../shared/app/retryDelay';
import { slaWatch } from '../shared/app/slaWatch';
import type { LeadStatus } from '../shared/domain/index';
import { durableNames, instanceIds } from '../shared/names';

export interface PipelineOutput {
    leadId: string;
    status: LeadStatus;
    outcomes: TargetOutcome[];
    /** How the owner's SLA ended, when the lead had one. */
    sla?: 'acknowledged' | 'unattended' | 'no-sla';
}

/**
 * One activity decides (qualify → score → route, stored with the config version that decided), makes the first
 * attempt of every routed target and, when each one ended with it, records the outcome: two episodes and one
 * activity for most leads. Only a target that has to wait (a transient failure, a busy target) gets a `targetDelivery`
 * sub-orchestration (retries on durable timers, Retry-After, the deadline), and then `recordLeadOutcome` records the
 * outcome. Deterministic: time from `currentUtcDateTime`, I/O only in activities.
 */
export const leadPipelineOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<PipelineInput>();
    const runId = context.df.instanceId;
    const startedAt = context.df.currentUtcDateTime;
    context.df.setCustomStatus({ stage: 'deciding' });
    const first = (yield context.df.callActivity(durableNames.decideAndDeliver, {
        leadId: input.leadId,
        now: startedAt.toISOString(),
        runId,
        trace: input.trace,
    } satisfies DecideAndDeliverActivityInput)) as FirstPass;
    if (first.finalStatus !== undefined) {
        context.df.setCustomStatus({ stage: 'done', status: first.finalStatus, grade: first.grade });
        return { leadId: input.leadId, status: first.finalStatus, outcomes: [] } satisfies PipelineOutput;
    }
    if (!Array.isArray(first.attempts)) {
        // A run started before the first step delivered: its history holds the plan alone (decideLead's answer).
        context.df.setCustomStatus({ stage: 'delivering', grade: first.grade, targets: first.targets });
        const { status, outcomes } = yield* deliverAndRecord(context, {
            leadId: input.leadId,
            receivedAt: input.receivedAt,
            targets: first.targets,
            policy: first.policy,
            force: false,
            trace: input.trace,
            statusDetails: { grade: first.grade },
        });
        context.df.setCustomStatus({ stage: 'done', status, grade: first.grade });
        return { leadId: input.leadId, status, outcomes } satisfies PipelineOutput;
    }
    const ended: TargetOutcome[] = first.attempts.flatMap((a) => (a.outcome === undefined ? [] : [a.outcome]));
    if (first.recorded !== undefined) {
        // The SLA wait runs in this run: the acknowledgement (or the timer) is the next and usually last episode.
        const sla =
            first.sla === undefined
                ? undefined
                : (yield* slaWatch(context, {
                      leadId: input.leadId,
                      first: first.sla,
                      trace: input.trace,
                      policy: first.policy,
                  })).sla;
        context.df.setCustomStatus({ stage: 'done', status: first.recorded, grade: first.grade });
        return {
            leadId: input.leadId,
            status: first.recorded,
            outcomes: ended,
            ...(sla === undefined ? {} : { sla }),
        } satisfies PipelineOutput;
    }
    // Each target that has to wait: until when, by this episode's clock (as targetDelivery waits between attempts).
    const deadline = startedAt.getTime() + first.policy.deadlineMinutes * 60_000;
    const now = context.df.currentUtcDateTime.getTime();
    const waiting: { a: FirstAttempt; startAt: number }[] = [];
    for (const a of first.attempts.filter((x) => x.outcome === undefined)) {
        const startAt = firstWait(first.policy, a.attempt, a.result, now);
        if (startAt <= deadline) waiting.push({ a, startAt });
        else ended.push(outOfTime(a));
    }
    context.df.setCustomStatus({ stage: 'delivering', grade: first.grade, targets: waiting.map((w) => w.a.target) });
    const deliveries = context.df.Task.all(
        waiting.map(({ a, startAt }) => {
            const deferred = a.result.outcome === 'deferred';
            const failed = a.result.outcome === 'transient' ? a.result : undefined;
            return context.df.callSubOrchestrator(
                durableNames.targetDelivery,
                {
                    leadId: input.leadId,
                    target: a.target,
                    deadline: new Date(deadline).toISOString(),
                    policy: first.policy,
                    force: false,
                    runId,
                    trace: input.trace,
                    firstAttempt: deferred ? a.attempt : a.attempt + 1,
                    startAt: new Date(startAt).toISOString(),
                    deferrals: deferred ? 1 : 0,
                    lastError: failed?.error,
                    lastHttpStatus: failed?.httpStatus,
                } satisfies TargetDeliveryInput,
                instanceIds.targetDelivery(runId, a.target),
            );
        }),
    );
    // Records the outcome once every waiting target has ended.
    const record = function* (
        result: unknown,
    ): Generator<Task, { status: LeadStatus; outcomes: TargetOutcome[] }, unknown> {
        const outcomes = [...ended, ...(result as TargetOutcome[])];
        context.df.setCustomStatus({ stage: 'recording', grade: first.grade });
        const recorded = (yield context.df.callActivity(durableNames.recordLeadOutcome, {
            leadId: input.leadId,
            receivedAt: input.receivedAt,
            runId,
            outcomes,
            trace: input.trace,
        } satisfies RecordOutcomeActivityInput)) as LeadStatus;
        return { status: recorded, outcomes };
    };
    let sla: PipelineOutput['sla'];
    let done: { status: LeadStatus; outcomes: TargetOutcome[] };
    if (first.sla === undefined) done = yield* record(yield deliveries);
    else {
        // The SLA clock runs beside the retries: a breach is handled on time even while a CRM is down.
        const watched = yield* slaWatch(
            context,
            { leadId: input.leadId, first: first.sla, trace: input.trace, policy: first.policy },
            {
                task: deliveries,
                then: record,
            },
        );
        sla = watched.sla;
        done = watched.beside!;
    }
    const { status, outcomes } = done;
    context.df.setCustomStatus({ stage: 'done', status, grade: first.grade });
    return { leadId: input.leadId, status, outcomes, ...(sla === undefined ? {} : { sla }) } satisfies PipelineOutput;
};

/** When the target's next attempt may start: backoff and Retry-After after a transient failure, else a deferral. */
function firstWait(policy: DeliveryPolicy, attempt: number, result: DeliverAttemptResult, now: number): number {
    if (result.outcome === 'transient') return nextAttemptAt(policy, attempt, now, result.retryAfterMs, result.retryAt);
    const byDeferral = now + deferralDelayMs(policy, 0);
    const asked = result.outcome === 'deferred' && result.retryAt !== undefined ? Date.parse(result.retryAt) : NaN;
    return Number.isFinite(asked) ? Math.max(byDeferral, asked) : byDeferral;
}

/** A target whose next attempt would start after the deadline: failed with what its first attempt said. */
function outOfTime(a: FirstAttempt): TargetOutcome {
    const r = a.result;
    if (r.outcome === 'transient')
        return {
            target: a.target,
            status: 'failed',
            attempts: a.attempt,
            lastError: r.error,
            lastHttpStatus: r.httpStatus,
        };
    const reason = r.outcome === 'deferred' ? r.reason : r.outcome;
    return {
        target: a.target,
        status: 'failed',
        attempts: a.attempt - 1,
        lastError: `deferred until the deadline: ${reason}`,
    };
}

df.app.orchestration(durableNames.leadPipeline, leadPipelineOrchestrator);

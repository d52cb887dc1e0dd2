import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import * as df from 'durable-functions';

import type {
    DeliverAttemptInput,
    DeliverAttemptResult,
    TargetDeliveryInput,
    TargetOutcome,
} from '../shared/app/pipelineTypes';
import { deferralDelayMs, nextAttemptAt } from '../shared/app/retryDelay';
import { durableNames } from '../shared/names';

/**
 * One target's delivery: attempt, and on a transient failure wait on a durable timer (backoff, never shorter than
 * the target's Retry-After) and try again, until `maxAttempts` or the deadline. A permanent failure ends at once. An
 * attempt deferred because the target already has as many calls in flight as it may (a hung target) is not counted:
 * the same attempt is tried again after a growing wait. The waits cost no running function and survive restarts.
 */
export const targetDeliveryOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<TargetDeliveryInput>();
    const deadline = Date.parse(input.deadline);
    let deferrals = input.deferrals ?? 0;
    let lastError = input.lastError;
    let lastHttpStatus = input.lastHttpStatus;
    const first = input.firstAttempt ?? 1;
    if (input.startAt !== undefined) {
        // The lead pipeline's first step already made (or deferred) attempt `first - 1`: wait as it said.
        const stage = first > 1 && deferrals === 0 ? 'waiting-to-retry' : 'deferred';
        yield* waitUntil(context, { stage, target: input.target, attempt: first }, Date.parse(input.startAt));
    }
    for (let attempt = first; ;) {
        context.df.setCustomStatus({ stage: 'delivering', target: input.target, attempt });
        const result = (yield context.df.callActivity(durableNames.deliverToTarget, {
            leadId: input.leadId,
            target: input.target,
            attempt,
            force: input.force,
            runId: input.runId,
            trace: input.trace,
            // An escalation's delivery is recorded on the SLA row: with whether this attempt is its last.
            ...(input.escalation === undefined
                ? {}
                : { escalation: { ...input.escalation, last: attempt >= input.policy.maxAttempts } }),
        } satisfies DeliverAttemptInput)) as DeliverAttemptResult;
        const now = context.df.currentUtcDateTime.getTime();
        if (result.outcome === 'deferred') {
            const byDeferral = now + deferralDelayMs(input.policy, deferrals++);
            const asked = result.retryAt === undefined ? NaN : Date.parse(result.retryAt);
            const fireAt = Number.isFinite(asked) ? Math.max(byDeferral, asked) : byDeferral;
            if (fireAt > deadline) {
                return {
                    target: input.target,
                    status: 'failed',
                    attempts: attempt - 1,
                    lastError: lastError ?? `deferred until the deadline: ${result.reason}`,
                    lastHttpStatus,
                } satisfies TargetOutcome;
            }
            yield* waitUntil(context, { stage: 'deferred', target: input.target, attempt }, fireAt);
            continue;
        }
        if (result.outcome === 'delivered') {
            return {
                target: input.target,
                status: 'delivered',
                attempts: attempt,
                externalId: result.externalId,
                lastHttpStatus: result.httpStatus,
            } satisfies TargetOutcome;
        }
        ({ error: lastError, httpStatus: lastHttpStatus } = result);
        const failed: TargetOutcome = {
            target: input.target,
            status: 'failed',
            attempts: attempt,
            lastError: result.error,
            lastHttpStatus: result.httpStatus,
        };
        if (result.outcome === 'permanent' || attempt >= input.policy.maxAttempts) return failed;
        const fireAt = nextAttemptAt(input.policy, attempt, now, result.retryAfterMs, result.retryAt);
        if (fireAt > deadline) return failed;
        yield* waitUntil(context, { stage: 'waiting-to-retry', target: input.target, attempt }, fireAt);
        attempt++;
    }
};

/** Shows why and until when the delivery waits, then waits on a durable timer. */
function* waitUntil(
    context: OrchestrationContext,
    status: { stage: string; target: string; attempt: number },
    fireAt: number,
): Generator<Task, void, unknown> {
    context.df.setCustomStatus({ ...status, nextAttemptAt: new Date(fireAt).toISOString() });
    yield context.df.createTimer(new Date(fireAt));
}

df.app.orchestration(durableNames.targetDelivery, targetDeliveryOrchestrator);

import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import type {
    DeliverAttemptInput,
    DeliverAttemptResult,
    TargetDeliveryInput,
    TargetOutcome,
} from '../shared/app/pipelineTypes';
import { nextAttemptAt } from '../shared/app/retryDelay';
import { durableNames } from '../shared/names';

/**
 * One target's delivery: attempt, and on a transient failure wait on a durable timer (backoff, never shorter than
 * the target's Retry-After) and try again, until `maxAttempts` or the deadline. A permanent failure ends at once.
 * The wait costs no running function, and survives host restarts.
 */
export const targetDeliveryOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<TargetDeliveryInput>();
    for (let attempt = 1; ; attempt++) {
        context.df.setCustomStatus({ stage: 'delivering', target: input.target, attempt });
        const result = (yield context.df.callActivity(durableNames.deliverToTarget, {
            leadId: input.leadId,
            target: input.target,
            attempt,
            force: input.force,
            runId: input.runId,
            trace: input.trace,
        } satisfies DeliverAttemptInput)) as DeliverAttemptResult;
        if (result.outcome === 'delivered') {
            return {
                target: input.target,
                status: 'delivered',
                attempts: attempt,
                externalId: result.externalId,
                lastHttpStatus: result.httpStatus,
            } satisfies TargetOutcome;
        }
        const failed: TargetOutcome = {
            target: input.target,
            status: 'failed',
            attempts: attempt,
            lastError: result.error,
            lastHttpStatus: result.httpStatus,
        };
        if (result.outcome === 'permanent' || attempt >= input.policy.maxAttempts) return failed;
        const now = context.df.currentUtcDateTime.getTime();
        const fireAt = nextAttemptAt(input.policy, attempt, now, result.retryAfterMs, result.retryAt);
        if (fireAt > Date.parse(input.deadline)) return failed;
        context.df.setCustomStatus({
            stage: 'waiting-to-retry',
            target: input.target,
            attempt,
            nextAttemptAt: new Date(fireAt).toISOString(),
        });
        yield context.df.createTimer(new Date(fireAt));
    }
};

df.app.orchestration(durableNames.targetDelivery, targetDeliveryOrchestrator);

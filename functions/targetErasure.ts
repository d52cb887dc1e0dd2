import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import { callStep } from '../shared/app/privacy/erasureSteps';
import type { EraseRecordsInput, EraseRecordsResult, TargetErasureInput } from '../shared/app/privacy/erasureTypes';
import { nextAttemptAt } from '../shared/app/retryDelay';
import type { TargetErasureOutcome } from '../shared/domain/index';
import { durableNames } from '../shared/names';

/**
 * One target's part of an erasure: delete its records, and retry those that failed transiently on durable timers
 * (the delivery policy's backoff, never sooner than the target's Retry-After) until they go, the attempts run out or
 * the deadline passes. What is still not deleted is reported failed with its error, never dropped.
 */
export const targetErasureOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<TargetErasureInput>();
    const { policy } = input;
    const deadline = context.df.currentUtcDateTime.getTime() + policy.deadlineMinutes * 60_000;
    const outcome: TargetErasureOutcome = { target: input.target, erased: [], absent: [], failed: [] };
    let pending = input.recordIds;
    for (let attempt = 1; pending.length > 0; attempt++) {
        context.df.setCustomStatus({ stage: 'erasing', target: input.target, attempt, records: pending.length });
        const results = (yield callStep(context, durableNames.eraseTargetRecords, {
            erasureId: input.erasureId,
            target: input.target,
            recordIds: pending,
            attempt,
        } satisfies EraseRecordsInput)) as EraseRecordsResult;
        const retry: EraseRecordsResult = [];
        for (const r of results) {
            if (r.outcome === 'erased' || r.outcome === 'absent') {
                (r.outcome === 'erased' ? outcome.erased : outcome.absent).push(r.recordId);
            } else if (r.outcome === 'transient') retry.push(r);
            else
                outcome.failed.push({
                    recordId: r.recordId,
                    error: r.error,
                    httpStatus: r.httpStatus,
                    attempts: attempt,
                });
        }
        const now = context.df.currentUtcDateTime.getTime();
        const longestAsked = Math.max(0, ...retry.map((r) => (r.outcome === 'transient' ? (r.retryAfterMs ?? 0) : 0)));
        const fireAt = nextAttemptAt(policy, attempt, now, longestAsked, undefined);
        if (retry.length > 0 && (attempt >= policy.maxAttempts || fireAt > deadline)) {
            for (const r of retry) {
                if (r.outcome !== 'transient') continue;
                outcome.failed.push({
                    recordId: r.recordId,
                    error: r.error,
                    httpStatus: r.httpStatus,
                    attempts: attempt,
                });
            }
            break;
        }
        pending = retry.map((r) => r.recordId);
        if (pending.length > 0) {
            context.df.setCustomStatus({ stage: 'waiting-to-retry', target: input.target, attempt });
            yield context.df.createTimer(new Date(fireAt));
        }
    }
    return outcome;
};

df.app.orchestration(durableNames.targetErasure, targetErasureOrchestrator);

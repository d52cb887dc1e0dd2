import type { OrchestrationContext, Task } from 'durable-functions';

import { ackEventName, durableNames } from '../names';
import type { EscalateActivityInput, EscalationResult, SlaWait, TraceCarrier } from './pipelineTypes';

/**
 * Durable Functions' human-interaction pattern, used with `yield*`: the owner's acknowledgement (an external event
 * the link raises) races a durable timer at the SLA's due time; a breach runs `escalateLead`, which answers the next
 * round's wait or the end. Deterministic: every time comes from the orchestration (`currentUtcDateTime`), the timer
 * is cancelled when the event wins, and an acknowledgement of an earlier round (a reassigned owner's old link is
 * refused before it is raised) cannot stop a later round's timer.
 */
export function* slaWatch(
    context: OrchestrationContext,
    leadId: string,
    first: SlaWait,
    trace: TraceCarrier | undefined,
): Generator<Task, 'acknowledged' | 'unattended' | 'no-sla', unknown> {
    let wait = first;
    for (;;) {
        context.df.setCustomStatus({ stage: 'waiting-for-acknowledgement', round: wait.round, dueAt: wait.dueAt });
        const acknowledged = context.df.waitForExternalEvent(ackEventName);
        const timer = context.df.createTimer(new Date(wait.dueAt));
        const winner = yield context.df.Task.any([acknowledged, timer]);
        if (winner === acknowledged) {
            const round = (acknowledged.result as { round?: number } | undefined)?.round;
            if (round === undefined || round === wait.round) {
                timer.cancel();
                return 'acknowledged';
            }
            // A stale round's event (raised before the reassignment was written): keep waiting on the same timer.
            const again = yield context.df.Task.any([context.df.waitForExternalEvent(ackEventName), timer]);
            if (again !== timer) {
                timer.cancel();
                return 'acknowledged';
            }
        }
        const next = (yield context.df.callActivity(durableNames.escalateLead, {
            leadId,
            round: wait.round,
            now: context.df.currentUtcDateTime.toISOString(),
            trace,
        } satisfies EscalateActivityInput)) as EscalationResult;
        if (next.state !== 'waiting') return next.state;
        wait = next.sla;
    }
}

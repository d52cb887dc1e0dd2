import type { OrchestrationContext, Task } from 'durable-functions';

import { ackEventName, durableNames, instanceIds } from '../names';
import type {
    DeliveryPolicy,
    EscalateActivityInput,
    EscalationResult,
    EscalationSendPlan,
    SlaWait,
    TargetDeliveryInput,
    TraceCarrier,
} from './pipelineTypes';

export type SlaEnd = 'acknowledged' | 'unattended' | 'no-sla';

/** Work the SLA wait runs beside (a lead's retries): its task, and what to do once it is done (record the outcome). */
export interface Beside<R> {
    task: Task;
    then: (result: unknown) => Generator<Task, R, unknown>;
}

/**
 * Durable Functions' human-interaction pattern, used with `yield*`: the owner's acknowledgement (an external event
 * the link raises) races a durable timer at the SLA's due time; a breach runs `escalateLead`, which answers the next
 * round's wait or the end. `beside` (deliveries still retrying) races with them, so a breach is handled on time while
 * a CRM is down, and its `then` (recording the outcome) runs as soon as it is done; if the SLA ends first, the wait
 * for it goes on after. Deterministic: every time comes from the orchestration (`currentUtcDateTime`), and a timer
 * that lost is cancelled (an orchestration does not complete while a timer of its is outstanding).
 */
export function* slaWatch<R = undefined>(
    context: OrchestrationContext,
    watch: { leadId: string; first: SlaWait; trace: TraceCarrier; policy: DeliveryPolicy },
    beside?: Beside<R>,
): Generator<Task, { sla: SlaEnd; beside?: R }, unknown> {
    const { leadId, first, trace } = watch;
    let wait = first;
    // Each breach's deliveries still retrying: they race the next round's wait too.
    let sending: Task[] = [];
    let besideResult: { value: R } | undefined;
    let acknowledged = context.df.waitForExternalEvent(ackEventName);
    let end: SlaEnd | undefined;
    while (end === undefined) {
        context.df.setCustomStatus({ stage: 'waiting-for-acknowledgement', round: wait.round, dueAt: wait.dueAt });
        const timer = context.df.createTimer(new Date(wait.dueAt));
        for (;;) {
            const racing = [
                acknowledged,
                timer,
                ...(beside !== undefined && besideResult === undefined ? [beside.task] : []),
                ...sending,
            ];
            const winner = yield context.df.Task.any(racing);
            if (sending.includes(winner as Task)) {
                sending = sending.filter((t) => t !== winner);
                continue;
            }
            if (beside !== undefined && besideResult === undefined && winner === beside.task) {
                besideResult = { value: yield* beside.then(beside.task.result) };
                continue;
            }
            if (winner === acknowledged) {
                const round = (acknowledged.result as { round?: number } | undefined)?.round;
                if (round === undefined || round === wait.round) {
                    timer.cancel();
                    end = 'acknowledged';
                    break;
                }
                // A stale round's event (raised before the reassignment was written): listen again, same timer.
                acknowledged = context.df.waitForExternalEvent(ackEventName);
                continue;
            }
            break; // the timer: the SLA is up
        }
        if (end !== undefined) break;
        const next = (yield context.df.callActivity(durableNames.escalateLead, {
            leadId,
            round: wait.round,
            now: context.df.currentUtcDateTime.toISOString(),
            trace,
        } satisfies EscalateActivityInput)) as EscalationResult;
        if (next.send !== undefined) sending.push(sendAll(context, watch, next.send));
        if (next.state !== 'waiting') end = next.state;
        else wait = next.sla;
    }
    if (beside !== undefined && besideResult === undefined) {
        const result: unknown = yield beside.task;
        besideResult = { value: yield* beside.then(result) };
    }
    if (sending.length > 0) yield context.df.Task.all(sending);
    return { sla: end, ...(besideResult === undefined ? {} : { beside: besideResult.value }) };
}

/**
 * A breach's messages and CRM owner writes, through the lead's own delivery machinery: one `targetDelivery` each
 * (the delivery policy's retries and deadline on durable timers, the target's budget and in-flight bound), its
 * attempts recorded on the SLA row. Instance ids derive from the run's, the target and the breach: deterministic.
 */
function sendAll(
    context: OrchestrationContext,
    watch: { leadId: string; trace: TraceCarrier; policy: DeliveryPolicy },
    plan: EscalationSendPlan,
): Task {
    const runId = context.df.instanceId;
    const deadline = new Date(
        context.df.currentUtcDateTime.getTime() + watch.policy.deadlineMinutes * 60_000,
    ).toISOString();
    return context.df.Task.all(
        plan.targets.map(({ target, kind }) =>
            context.df.callSubOrchestrator(
                durableNames.targetDelivery,
                {
                    leadId: watch.leadId,
                    target,
                    deadline,
                    policy: watch.policy,
                    force: false,
                    runId,
                    trace: watch.trace,
                    escalation: { round: plan.round, kind },
                } satisfies TargetDeliveryInput,
                `${instanceIds.targetDelivery(runId, target)}:sla-${plan.round}`,
            ),
        ),
    );
}

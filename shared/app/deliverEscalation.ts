import type { EscalationSend, LeadHistoryEntry, LeadRecord, LeadSla } from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { type AckLinks, ackRequestFor } from './ackLink';
import { type Attempted, callTarget } from './callTarget';
import { asAttemptResult } from './deliverToTarget';
import { escalationSendKey } from './escalateLead';
import type { DeliverAttemptInput, DeliverAttemptResult, EscalationDelivery } from './pipelineTypes';
import type { TargetGate } from './targetGate';

export interface DeliverEscalationDeps {
    leads: LeadRepository;
    target(name: string): DeliveryTarget | undefined;
    logger: Logger;
    now(): Date;
    gate?: TargetGate;
    /** Signs the round's acknowledgement link on a message; without it the message has no link. */
    ackLinks?: AckLinks;
    ackLinkHours?: number;
}

const MAX_WRITE_TRIES = 10;

/**
 * One attempt of an escalation's delivery (a breach's message, or the CRM record written again with the new owner),
 * made by `targetDelivery` as any retry: classified, never thrown, so the orchestration retries it on durable timers
 * with the delivery policy. Recorded on the SLA row's entry for it, as a lead's own deliveries are on their rows:
 * marked in flight before the call (a call whose worker stopped is counted in doubt when the activity runs again),
 * each attempt's outcome after, with a history entry each. Delivered once: an entry already delivered is not called
 * again, and a message keeps its own idempotency key `<leadId>:<target>:sla-<n>` across attempts.
 */
export async function deliverEscalation(
    deps: DeliverEscalationDeps,
    input: DeliverAttemptInput & { escalation: EscalationDelivery },
): Promise<DeliverAttemptResult> {
    const key = escalationSendKey(input.escalation.round, input.target);
    const record = await deps.leads.get(input.leadId);
    // Gone since the breach (the person was erased): nothing to send, and nothing to record it on.
    if (record?.decision === undefined || record.sla === undefined)
        return { outcome: 'permanent', error: `Lead ${input.leadId} has no decision or SLA any more` };
    const existing = record.sla.sends?.[key];
    if (existing?.status === 'delivered') return { outcome: 'delivered', alreadyDelivered: true };
    const release = deps.gate === undefined ? () => undefined : deps.gate.tryEnter(input.target);
    if (release === undefined) {
        pipelineMetrics().deliveryAttempts.add(1, { target: input.target, outcome: 'deferred' });
        return { outcome: 'deferred', reason: `${input.target} has as many calls in flight as it may` };
    }
    try {
        const started = deps.now();
        const marked = await update(deps, input.leadId, record, (sla) => {
            const entry = entryOf(sla, key, input);
            const history: LeadHistoryEntry[] = [
                {
                    at: started.toISOString(),
                    kind: 'escalation-started',
                    detail: { target: input.target, round: input.escalation.round, attempt: input.attempt },
                },
            ];
            // The call of an earlier run of this activity never finished: it may have reached the target.
            if (entry.inFlight !== undefined)
                history.push({
                    at: started.toISOString(),
                    kind: 'escalation-in-doubt',
                    detail: { target: input.target, round: input.escalation.round, attempt: entry.inFlight.attempt },
                });
            const next: EscalationSend = {
                ...entry,
                status: 'sending',
                inFlight: { attempt: input.attempt, since: started.toISOString() },
            };
            return { sla: { ...sla, sends: { ...sla.sends, [key]: next } }, history };
        });
        const current = marked.record;
        const message = input.escalation.kind === 'message';
        const acknowledge = message
            ? ackRequestFor(deps.ackLinks, deps.ackLinkHours, input.leadId, current.sla, started)
            : undefined;
        const { result } = await callTarget(
            () => deps.target(input.target),
            {
                leadId: input.leadId,
                target: input.target,
                attempt: input.attempt,
                lead: current.lead,
                // The stored decision carries the current owner (the breach wrote it).
                decision: current.decision!,
                deliveries: current.deliveries,
                ...(acknowledge === undefined ? {} : { acknowledge }),
                ...(message ? { idempotencyKey: `${input.leadId}:${input.target}:sla-${input.escalation.round}` } : {}),
            },
            () => deps.now(),
        );
        release();
        await recordAttempt(deps, input, key, result, started);
        return asAttemptResult(input.target, result);
    } finally {
        release();
    }
}

/** The entry as stored, or a new one (a plan written before entries existed, or a target added by hand). */
function entryOf(sla: LeadSla, key: string, input: DeliverAttemptInput & { escalation: EscalationDelivery }) {
    return (
        sla.sends?.[key] ?? {
            target: input.target,
            round: input.escalation.round,
            kind: input.escalation.kind,
            status: 'pending' as const,
            attempts: 0,
        }
    );
}

async function recordAttempt(
    deps: DeliverEscalationDeps,
    input: DeliverAttemptInput & { escalation: EscalationDelivery },
    key: string,
    result: Attempted,
    started: Date,
): Promise<void> {
    const now = deps.now();
    pipelineMetrics().deliveryAttempts.add(1, { target: input.target, outcome: result.outcome });
    const httpStatus = 'httpStatus' in result ? result.httpStatus : undefined;
    const sent = result.outcome !== 'not-sent';
    await update(deps, input.leadId, undefined, (sla) => {
        const entry = entryOf(sla, key, input);
        const next: EscalationSend = {
            target: entry.target,
            round: entry.round,
            kind: entry.kind,
            attempts: entry.attempts + (sent ? 1 : 0),
            status:
                result.outcome === 'delivered'
                    ? 'delivered'
                    : result.outcome === 'permanent' ||
                        (result.outcome === 'transient' && input.escalation.last === true)
                      ? 'failed'
                      : sent
                        ? 'retrying'
                        : entry.attempts > 0
                          ? 'retrying'
                          : 'pending',
            ...(result.outcome === 'delivered'
                ? { deliveredAt: now.toISOString() }
                : { lastError: result.error, ...(httpStatus === undefined ? {} : { lastHttpStatus: httpStatus }) }),
        };
        return {
            sla: { ...sla, sends: { ...sla.sends, [key]: next } },
            history: [
                {
                    at: now.toISOString(),
                    kind: 'escalation-sent',
                    detail: {
                        target: input.target,
                        round: input.escalation.round,
                        attempt: input.attempt,
                        outcome: result.outcome,
                        ms: now.getTime() - started.getTime(),
                        ...(httpStatus === undefined ? {} : { httpStatus }),
                    },
                },
            ],
        };
    });
    deps.logger.info('Escalation delivery attempt finished', {
        leadId: input.leadId,
        target: input.target,
        round: input.escalation.round,
        attempt: input.attempt,
        outcome: result.outcome,
        httpStatus,
    });
}

/** Read-modify-write of the SLA row with its ETag (an acknowledgement or another target's attempt may write it too). */
async function update(
    deps: DeliverEscalationDeps,
    leadId: string,
    first: LeadRecord | undefined,
    change: (sla: LeadSla) => { sla: LeadSla; history: LeadHistoryEntry[] },
): Promise<{ record: LeadRecord & { sla: LeadSla } }> {
    let record = first;
    for (let tries = 1; tries <= MAX_WRITE_TRIES; tries++) {
        record ??= await deps.leads.get(leadId);
        if (record?.sla === undefined) throw new Error(`Lead ${leadId} has no SLA`);
        const { sla, history } = change(record.sla);
        const saved = await deps.leads.saveSla(record, sla, history, deps.now());
        if (saved !== false) return { record: { ...record, sla: saved } };
        record = undefined;
    }
    throw new Error(`Lead ${leadId}: the SLA row kept changing`);
}

import { callsInDoubt, type LeadHistoryEntry, type LeadRecord, rowAfterAttempt, rowBeforeCall } from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { type AckLinks, ackRequestFor } from './ackLink';
import { type Attempted, callTarget } from './callTarget';
import { commitWithRetry } from './commitWithRetry';
import type { DeliverAttemptInput, DeliverAttemptResult } from './pipelineTypes';
import type { TargetGate } from './targetGate';

export interface DeliverDeps {
    leads: LeadRepository;
    target(name: string): DeliveryTarget | undefined;
    logger: Logger;
    now(): Date;
    /** Bounds each target's calls in flight in this worker; without it there is no bound. */
    gate?: TargetGate;
    /** Signs the owner's acknowledgement link on a notification retried while the SLA waits; without it, no link. */
    ackLinks?: AckLinks;
    ackLinkHours?: number;
}

/** Attempts to write the row before giving up; each conflict means another writer just changed it. */
export const MAX_WRITE_TRIES = 8;

/**
 * One delivery attempt of a retry or a redelivery (the first attempt of a lead is made by `decideAndDeliver`).
 * Never throws for a target failure: it classifies it (transient with Retry-After, or permanent) so the orchestrator
 * decides about retries with durable timers. A target already delivered is not called again unless `force` (an
 * activity re-run after a crash must not create a second CRM record). The call is marked in flight on its row before
 * it is made, so a call whose worker stopped is counted (in doubt) when the activity runs again.
 */
export async function deliverToTarget(deps: DeliverDeps, input: DeliverAttemptInput): Promise<DeliverAttemptResult> {
    const record = await deps.leads.get(input.leadId);
    if (record?.decision === undefined) throw new Error(`Lead ${input.leadId} has no decision`);
    const existing = record.deliveries.find((d) => d.target === input.target);
    if (!input.force && existing?.status === 'delivered') {
        return { outcome: 'delivered', externalId: existing.externalId, alreadyDelivered: true };
    }
    const release = deps.gate === undefined ? () => undefined : deps.gate.tryEnter(input.target);
    if (release === undefined) {
        deps.logger.info('Delivery attempt deferred: target busy', { leadId: input.leadId, target: input.target });
        pipelineMetrics().deliveryAttempts.add(1, { target: input.target, outcome: 'deferred' });
        return { outcome: 'deferred', reason: `${input.target} has as many calls in flight as it may` };
    }
    try {
        const marked = await markInFlight(deps, input, record);
        // A notification retried while the owner's SLA waits carries the current round's link, as its first attempt did.
        const acknowledge = ackRequestFor(deps.ackLinks, deps.ackLinkHours, input.leadId, record.sla, deps.now());
        const { result, role } = await callTarget(
            () => deps.target(input.target),
            {
                ...input,
                lead: record.lead,
                decision: record.decision,
                deliveries: record.deliveries,
                ...(acknowledge === undefined ? {} : { acknowledge }),
            },
            () => deps.now(),
        );
        release();
        await recordAttempt(deps, input, role, result, marked);
        return asAttemptResult(input.target, result);
    } finally {
        release();
    }
}

/** What a `not-sent` attempt is to the orchestration: deferred, not counted, retried no sooner than the budget allows. */
export function asAttemptResult(target: string, result: Attempted): DeliverAttemptResult {
    if (result.outcome !== 'not-sent') return result;
    return { outcome: 'deferred', reason: `${target}: request budget exhausted`, retryAt: result.retryAt };
}

/** Writes the row with the call marked in flight; resolves the record as written and an in-doubt entry, if any. */
async function markInFlight(
    deps: DeliverDeps,
    input: DeliverAttemptInput,
    first: LeadRecord,
): Promise<{ started: Date }> {
    const started = deps.now();
    const at = started.toISOString();
    await commitWithRetry(
        deps.leads,
        input.leadId,
        (current) => {
            const row = current?.deliveries.find((d) => d.target === input.target);
            const before = rowBeforeCall(row, {
                target: input.target,
                role: row?.role ?? 'outreach',
                runId: input.runId,
                attempt: input.attempt,
                at,
            });
            const history: LeadHistoryEntry = {
                at,
                kind: 'delivery-started',
                detail: { target: input.target, attempt: input.attempt, run: input.runId },
            };
            return { commit: { deliveries: [before], history, now: started }, result: undefined };
        },
        { maxTries: MAX_WRITE_TRIES, first },
    );
    return { started };
}

/** Read-modify-write with the row's ETag: two attempts at once (two forced redeliveries) each count. */
async function recordAttempt(
    deps: DeliverDeps,
    input: DeliverAttemptInput,
    role: string,
    result: Attempted,
    marked: { started: Date },
): Promise<void> {
    const now = deps.now();
    pipelineMetrics().deliveryAttempts.add(1, { target: input.target, outcome: result.outcome });
    const history = attemptHistory(input, result, now, marked.started);
    const made = {
        target: input.target,
        role,
        runId: input.runId,
        at: now.toISOString(),
        result,
        call: { attempt: input.attempt, since: marked.started.toISOString() },
    };
    await commitWithRetry(
        deps.leads,
        input.leadId,
        (current) => {
            const row = current?.deliveries.find((d) => d.target === input.target);
            return {
                commit: {
                    deliveries: [rowAfterAttempt(row, made)],
                    history,
                    moreHistory: callsInDoubt(row, made),
                    now,
                },
                result: undefined,
            };
        },
        { maxTries: MAX_WRITE_TRIES },
    );
    deps.logger.info('Delivery attempt finished', {
        leadId: input.leadId,
        target: input.target,
        attempt: input.attempt,
        outcome: result.outcome,
        httpStatus: 'httpStatus' in result ? result.httpStatus : undefined,
    });
}

/** The history entry of one attempt: ids, codes, the attempt's duration. */
export function attemptHistory(
    input: { target: string; attempt: number; runId: string },
    result: Attempted,
    now: Date,
    started: Date,
): LeadHistoryEntry {
    const httpStatus = 'httpStatus' in result ? result.httpStatus : undefined;
    return {
        at: now.toISOString(),
        kind: `delivery-${result.outcome}`,
        detail: {
            target: input.target,
            attempt: input.attempt,
            run: input.runId,
            ms: now.getTime() - started.getTime(),
            ...(httpStatus === undefined ? {} : { httpStatus }),
            // What the target said about the write (an owner it refused, a value cut to its field's length).
            ...(result.outcome === 'delivered' && result.note !== undefined ? { note: result.note } : {}),
        },
    };
}

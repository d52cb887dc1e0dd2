import {
    ConfigError,
    ensureError,
    type LeadRecord,
    ownerForTarget,
    PermanentError,
    rowAfterAttempt,
    TransientError,
} from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
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
}

/**
 * One delivery attempt. Never throws for a target failure: it classifies it (transient with Retry-After, or
 * permanent) so the orchestrator decides about retries with durable timers. A target already delivered is not
 * called again unless `force` (an activity re-run after a crash must not create a second CRM record).
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
        return await attemptOnce(deps, input, { ...record, decision: record.decision }, release);
    } finally {
        release();
    }
}

type Attempted = Exclude<DeliverAttemptResult, { outcome: 'deferred' }>;

/** The attempt itself; `release` frees the target's slot as soon as the call is over, before the row is written. */
async function attemptOnce(
    deps: DeliverDeps,
    input: DeliverAttemptInput,
    record: LeadRecord & { decision: NonNullable<LeadRecord['decision']> },
    release: () => void,
): Promise<Attempted> {
    const started = deps.now();
    const built = buildTarget(deps, input.target);
    const target = 'target' in built ? built.target : undefined;
    let result: Attempted;
    if ('failed' in built) result = built.failed;
    else if (target === undefined) {
        result = { outcome: 'permanent', error: `Target ${input.target} is not configured` };
    } else {
        try {
            const delivered = await target.deliver({
                lead: record.lead,
                decision: record.decision,
                target: input.target,
                idempotencyKey: `${input.leadId}:${input.target}`,
                attempt: input.attempt,
                owner: ownerForTarget(record.decision.owner, input.target),
                related: record.deliveries.flatMap((d) =>
                    d.target !== input.target && d.status === 'delivered' && d.externalId !== undefined
                        ? [{ target: d.target, externalId: d.externalId }]
                        : [],
                ),
            });
            result = {
                outcome: 'delivered',
                externalId: delivered.externalId,
                httpStatus: delivered.status,
                alreadyDelivered: false,
            };
        } catch (err) {
            result = classify(err);
        }
    }
    release();
    const now = deps.now();
    if (result.outcome === 'transient' && result.retryAfterMs !== undefined) {
        result.retryAt = new Date(now.getTime() + result.retryAfterMs).toISOString();
    }
    pipelineMetrics().deliveryAttempts.add(1, { target: input.target, outcome: result.outcome });
    const history = {
        at: now.toISOString(),
        kind: `delivery-${result.outcome}`,
        detail: {
            target: input.target,
            attempt: input.attempt,
            run: input.runId,
            ms: now.getTime() - started.getTime(),
            ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
        },
    };
    const made = {
        target: input.target,
        role: target?.role ?? 'outreach',
        runId: input.runId,
        at: now.toISOString(),
        result,
    };
    // Read-modify-write with the row's ETag: two attempts at once (two forced redeliveries) each count.
    await commitWithRetry(
        deps.leads,
        input.leadId,
        (current) => ({
            commit: {
                deliveries: [
                    rowAfterAttempt(
                        current?.deliveries.find((d) => d.target === input.target),
                        made,
                    ),
                ],
                history,
                now,
            },
            result: undefined,
        }),
        { maxTries: MAX_WRITE_TRIES, first: record },
    );
    deps.logger.info('Delivery attempt finished', {
        leadId: input.leadId,
        target: input.target,
        attempt: input.attempt,
        outcome: result.outcome,
        httpStatus: result.httpStatus,
    });
    return result;
}

/**
 * A target that cannot be built (its options are wrong: a `ConfigError` naming them) fails this attempt for good, as
 * any permanent failure does: it is recorded on the row, never left as a claim with no attempt. The start-up check
 * refuses such options, so this is the settings changing under a running app.
 */
function buildTarget(deps: DeliverDeps, name: string): { target: DeliveryTarget | undefined } | { failed: Attempted } {
    try {
        return { target: deps.target(name) };
    } catch (err) {
        const error =
            err instanceof ConfigError
                ? `ConfigError: ${err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`
                : `${ensureError(err).name}: target ${name} could not be built`;
        return { failed: { outcome: 'permanent', error: error.slice(0, 500) } };
    }
}

/** Attempts to write the row before giving up; each conflict means another writer just changed it. */
const MAX_WRITE_TRIES = 8;

/** Error messages from adapters are personal-data-free by contract; they are still cut short for storage. */
function classify(err: unknown): Attempted {
    if (err instanceof PermanentError) {
        return { outcome: 'permanent', error: short(err), httpStatus: err.details.status };
    }
    if (err instanceof TransientError) {
        return {
            outcome: 'transient',
            error: short(err),
            retryAfterMs: err.details.retryAfterMs,
            httpStatus: err.details.status,
        };
    }
    return { outcome: 'transient', error: short(ensureError(err)) };
}

function short(err: Error): string {
    return `${err.name}: ${err.message}`.slice(0, 500);
}

import {
    ConfigError,
    type DeliveryRecord,
    ensureError,
    type Lead,
    type LeadDecision,
    ownerForTarget,
    PermanentError,
    TransientError,
} from '../domain/index';
import type { AckRequest, DeliveryTarget } from '../ports/DeliveryTarget';
import type { DeliverAttemptResult } from './pipelineTypes';
import { requestsSentBy } from './requestsSent';

/** What an attempt that was made (not deferred) answers: delivered, transient, permanent, or sent nothing. */
export type Attempted = Exclude<DeliverAttemptResult, { outcome: 'deferred' }> | NotSent;

/** The attempt stopped before any request reached the target: its request budget was exhausted. Not counted. */
export interface NotSent {
    outcome: 'not-sent';
    error: string;
    retryAfterMs?: number;
    retryAt?: string;
}

export interface CallRequest {
    leadId: string;
    target: string;
    attempt: number;
    lead: Lead;
    decision: LeadDecision;
    /** The lead's delivery rows as read: the other targets already delivered are passed on with their records. */
    deliveries: readonly DeliveryRecord[];
    /** The acknowledgement link, for a notify target of a lead with an SLA. */
    acknowledge?: AckRequest;
    /** Overrides `<leadId>:<target>` (an escalation's notification is a new message, not a repeat). */
    idempotencyKey?: string;
}

/**
 * One call of a target, classified instead of thrown: the orchestration decides about retries with durable timers.
 * `build` builds the target for this attempt (undefined: not configured). Never throws for a target failure.
 */
export async function callTarget(
    build: () => DeliveryTarget | undefined,
    request: CallRequest,
    now: () => Date,
): Promise<{ result: Attempted; role: string }> {
    const built = buildTarget(build, request.target);
    if ('failed' in built) return { result: built.failed, role: 'outreach' };
    const target = built.target;
    if (target === undefined) {
        return {
            result: { outcome: 'permanent', error: `Target ${request.target} is not configured` },
            role: 'outreach',
        };
    }
    let result: Attempted;
    try {
        const delivered = await target.deliver({
            lead: request.lead,
            decision: request.decision,
            target: request.target,
            idempotencyKey: request.idempotencyKey ?? `${request.leadId}:${request.target}`,
            attempt: request.attempt,
            owner: ownerForTarget(request.decision.owner, request.target),
            related: request.deliveries.flatMap((d) =>
                d.target !== request.target && d.status === 'delivered' && d.externalId !== undefined
                    ? [{ target: d.target, externalId: d.externalId }]
                    : [],
            ),
            ...(request.acknowledge !== undefined && target.role === 'notify'
                ? { acknowledge: request.acknowledge }
                : {}),
        });
        result = {
            outcome: 'delivered',
            externalId: delivered.externalId,
            httpStatus: delivered.status,
            ...(delivered.action === 'created' ? { created: true } : {}),
            alreadyDelivered: false,
            ...(delivered.note === undefined || delivered.note === '' ? {} : { note: delivered.note.slice(0, 300) }),
        };
    } catch (err) {
        result = classify(err, target);
    }
    if ((result.outcome === 'transient' || result.outcome === 'not-sent') && result.retryAfterMs !== undefined) {
        result.retryAt = new Date(now().getTime() + result.retryAfterMs).toISOString();
    }
    return { result, role: target.role };
}

/**
 * A target that cannot be built (its options are wrong: a `ConfigError` naming them) fails this attempt for good, as
 * any permanent failure does: it is recorded on the row, never left as a claim with no attempt. The start-up check
 * refuses such options, so this is the settings changing under a running app.
 */
function buildTarget(
    build: () => DeliveryTarget | undefined,
    name: string,
): { target: DeliveryTarget | undefined } | { failed: Attempted } {
    try {
        return { target: build() };
    } catch (err) {
        const error =
            err instanceof ConfigError
                ? `ConfigError: ${err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`
                : `${ensureError(err).name}: target ${name} could not be built`;
        return { failed: { outcome: 'permanent', error: error.slice(0, 500) } };
    }
}

/**
 * Error messages from adapters are personal-data-free by contract; they are still cut short for storage. A budget
 * the rate governor found exhausted, with no request of this attempt sent before it, is no attempt at all.
 */
function classify(err: unknown, target: DeliveryTarget): Attempted {
    if (err instanceof PermanentError) {
        return { outcome: 'permanent', error: short(err), httpStatus: err.details.status };
    }
    if (err instanceof TransientError) {
        if (err.details.code === 'rate-governor' && (requestsSentBy(target) ?? 0) === 0) {
            return { outcome: 'not-sent', error: short(err), retryAfterMs: err.details.retryAfterMs };
        }
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

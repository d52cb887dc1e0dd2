import { randomUUID } from 'node:crypto';

import { durableNames } from '../names';
import type { DeliveryRecord, LeadRecord, LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import type { OrchestrationStarter } from '../ports/OrchestrationStarter';
import type { RunMonitor } from '../ports/RunMonitor';
import { abandonedClaims } from './abandonedClaims';
import { type DeliveryPolicy, isInProgress, type RedeliveryInput } from './pipelineTypes';

export interface RedeliveryDeps {
    leads: LeadRepository;
    starter: OrchestrationStarter;
    logger: Logger;
    now(): Date;
    traceCarrier(): Record<string, string>;
    /**
     * The delivery policy (`config.pipeline.delivery`): a claim untouched for longer than its deadline plus a margin
     * is abandoned and may be claimed again. Without it a claim never expires.
     */
    delivery?: Pick<DeliveryPolicy, 'deadlineMinutes'>;
    /** Lets a claim whose run has ended (failed, terminated) be taken at once; without it only age counts. */
    runs?: RunMonitor;
}

export type RedeliveryResult =
    | { kind: 'not-found' }
    | { kind: 'not-deliverable'; message: string }
    /** A target it would deliver is being delivered by a live run: try again once that run has finished. */
    | { kind: 'being-delivered'; message: string; target: string }
    | { kind: 'started'; instanceId: string; targets: string[] };

/** Claims lost to a concurrent writer are re-read and decided again this many times. */
const MAX_CLAIM_TRIES = 5;

/** Whether a row is claimed by a run that is still alive (its claim has not expired). */
type Busy = (d: DeliveryRecord) => boolean;

/**
 * Re-runs delivery only (no new decision): for one named target (even if it was delivered: the idempotency key
 * stays the same, so the target can recognise it), or for every target that is not delivered. A target that is
 * being delivered (pending or retrying, by the first run or another redelivery) is never started a second time:
 * the chosen rows are claimed (`pending`) with their ETags before the orchestration starts, so of two requests at
 * once only one wins. An abandoned claim (older than the delivery deadline plus a margin, or held by a run that has
 * ended) is claimed again, with a `claim-expired` history entry per target that says why.
 */
export async function requestRedelivery(
    deps: RedeliveryDeps,
    leadId: string,
    target: string | undefined,
): Promise<RedeliveryResult> {
    // Random part: two redeliveries of different targets in the same millisecond must not share an instance.
    const instanceId = `redeliver-${leadId}-${deps.now().getTime()}-${randomUUID().slice(0, 8)}`;
    for (let tries = 1; ; tries++) {
        const record = await deps.leads.get(leadId);
        if (record === undefined) return { kind: 'not-found' };
        const now = deps.now();
        const abandoned = await abandonedClaims(record, {
            now,
            delivery: deps.delivery,
            runs: deps.runs,
            logger: deps.logger,
        });
        const expired = (d: DeliveryRecord) => abandoned.has(d.target);
        const chosen = choose(record, target, (d) => isInProgress(d) && !expired(d));
        if (!Array.isArray(chosen)) return chosen;
        const targets = chosen.map((d) => d.target);
        const at = now.toISOString();
        const claimed = await deps.leads.commitDeliveries(record, {
            deliveries: chosen.map((d) => ({ ...d, status: 'pending', updatedAt: at, claimedBy: instanceId })),
            status: 'delivering',
            history: { at, kind: 'redelivery-requested', detail: { instanceId, targets: targets.join(',') } },
            moreHistory: chosen.filter(expired).map((d) => ({
                at,
                kind: 'claim-expired',
                detail: {
                    target: d.target,
                    status: d.status,
                    since: d.updatedAt,
                    reason: abandoned.get(d.target)!,
                    ...(d.claimedBy === undefined ? {} : { claimedBy: d.claimedBy }),
                },
            })),
            now,
        });
        if (!claimed) {
            if (tries >= MAX_CLAIM_TRIES) throw new Error(`Delivery rows of ${leadId} kept changing`);
            continue;
        }
        await start(deps, record, chosen, instanceId, target !== undefined);
        deps.logger.info('Redelivery started', { leadId, instanceId, targets: targets.length });
        return { kind: 'started', instanceId, targets };
    }
}

function choose(record: LeadRecord, target: string | undefined, isBusy: Busy): DeliveryRecord[] | RedeliveryResult {
    if (record.decision === undefined) return { kind: 'not-deliverable', message: 'The lead is not decided yet.' };
    if (record.status === 'destination-validated') {
        return { kind: 'not-deliverable', message: 'Test leads are never delivered.' };
    }
    const routed = record.deliveries.filter((d) => d.status !== 'skipped');
    const busy = (d: DeliveryRecord): RedeliveryResult => ({
        kind: 'being-delivered',
        target: d.target,
        message: `Target ${d.target} is being delivered (${d.status}); try again when that delivery has finished.`,
    });
    if (target !== undefined) {
        const row = routed.find((d) => d.target === target);
        if (row === undefined) {
            return { kind: 'not-deliverable', message: `Target ${target} is not routed for this lead.` };
        }
        return isBusy(row) ? busy(row) : [row];
    }
    const open = routed.filter((d) => d.status !== 'delivered');
    const ready = open.filter((d) => !isBusy(d));
    if (ready.length > 0) return ready;
    const running = open.find(isBusy);
    if (running !== undefined) return busy(running);
    return { kind: 'not-deliverable', message: 'Every routed target is delivered.' };
}

/** Starts the orchestration; if that fails, the claim is given back so the targets can be redelivered later. */
async function start(
    deps: RedeliveryDeps,
    record: LeadRecord,
    chosen: DeliveryRecord[],
    instanceId: string,
    force: boolean,
): Promise<void> {
    const input: RedeliveryInput = {
        leadId: record.leadId,
        receivedAt: record.receivedAt,
        targets: chosen.map((d) => d.target),
        force,
        trace: deps.traceCarrier(),
    };
    try {
        await deps.starter.start(durableNames.redeliveryPipeline, instanceId, input);
    } catch (err) {
        await release(deps, record, chosen, instanceId).catch((releaseError: unknown) =>
            deps.logger.warn('Redelivery claim not released', {
                leadId: record.leadId,
                instanceId,
                error: releaseError instanceof Error ? releaseError.name : 'unknown',
            }),
        );
        throw err;
    }
}

async function release(deps: RedeliveryDeps, before: LeadRecord, chosen: DeliveryRecord[], instanceId: string) {
    const now = await deps.leads.get(before.leadId);
    if (now === undefined) return;
    const claimed = now.deliveries.filter(
        (d) => d.status === 'pending' && d.claimedBy === instanceId && chosen.some((c) => c.target === d.target),
    );
    // The row as it was before the claim (status, time, owner): an expired claim given back stays expired.
    const original = (d: DeliveryRecord) => chosen.find((c) => c.target === d.target)!;
    await deps.leads.commitDeliveries(now, {
        deliveries: claimed.map((d) => ({
            ...d,
            status: original(d).status,
            updatedAt: original(d).updatedAt,
            claimedBy: original(d).claimedBy,
        })),
        status: before.status,
        history: { at: deps.now().toISOString(), kind: 'redelivery-not-started', detail: { instanceId } },
        now: deps.now(),
    });
}

import { randomUUID } from 'node:crypto';

import {
    chooseForRedelivery,
    claimExpiredEntries,
    claimRows,
    type DeliveryRecord,
    isInProgress,
    type LeadRecord,
    type RedeliveryRefusal,
    releasedRows,
    type TargetsNow,
} from '../domain/index';
import { durableNames, instanceIds } from '../names';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import type { OrchestrationStarter } from '../ports/OrchestrationStarter';
import type { RunMonitor } from '../ports/RunMonitor';
import { abandonedClaims } from './abandonedClaims';
import { commitWithRetry } from './commitWithRetry';
import type { DeliveryPolicy, RedeliveryInput, TraceCarrier } from './pipelineTypes';

export interface RedeliveryDeps {
    leads: LeadRepository;
    starter: OrchestrationStarter;
    logger: Logger;
    now(): Date;
    traceCarrier(): TraceCarrier;
    /**
     * The delivery policy (`config.pipeline.delivery`): a claim untouched for longer than its deadline plus a margin
     * is abandoned and may be claimed again. Without it a claim never expires.
     */
    delivery?: Pick<DeliveryPolicy, 'deadlineMinutes'>;
    /** Lets a claim whose run has ended (failed, terminated) be taken at once; without it only age counts. */
    runs?: RunMonitor;
    /**
     * The targets that are on now and the roles each outcome may reach: a target skipped as not configured when the
     * lead was decided is delivered once its settings are in place. Without it a skipped target stays skipped.
     */
    targets?: TargetsNow;
}

export type RedeliveryResult =
    { kind: 'not-found' } | RedeliveryRefusal | { kind: 'started'; instanceId: string; targets: string[] };

/** Claims lost to a concurrent writer are re-read and decided again this many times. */
const MAX_CLAIM_TRIES = 5;

/** The rows a redelivery claimed, or why it claims nothing. */
type Claim = { record: LeadRecord; chosen: DeliveryRecord[] } | Exclude<RedeliveryResult, { kind: 'started' }>;

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
    const instanceId = instanceIds.redelivery(leadId, deps.now().getTime(), randomUUID().slice(0, 8));
    const claim = await commitWithRetry<Claim>(
        deps.leads,
        leadId,
        async (record) => {
            if (record === undefined) return { answer: { kind: 'not-found' } };
            const now = deps.now();
            const abandoned = await abandonedClaims(record, {
                now,
                delivery: deps.delivery,
                runs: deps.runs,
                logger: deps.logger,
            });
            const chosen = chooseForRedelivery(
                record,
                target,
                (d) => isInProgress(d) && !abandoned.has(d.target),
                deps.targets,
            );
            if (!Array.isArray(chosen)) return { answer: chosen };
            const at = now.toISOString();
            const targets = chosen.map((d) => d.target).join(',');
            return {
                commit: {
                    deliveries: claimRows(chosen, instanceId, at),
                    status: 'delivering',
                    history: { at, kind: 'redelivery-requested', detail: { instanceId, targets } },
                    moreHistory: claimExpiredEntries(chosen, abandoned, at),
                    now,
                },
                result: { record, chosen },
            };
        },
        { maxTries: MAX_CLAIM_TRIES },
    );
    if (!('chosen' in claim)) return claim;
    const targets = claim.chosen.map((d) => d.target);
    await start(deps, claim.record, claim.chosen, instanceId, target !== undefined);
    deps.logger.info('Redelivery started', { leadId, instanceId, targets: targets.length });
    return { kind: 'started', instanceId, targets };
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
    await deps.leads.commitDeliveries(now, {
        deliveries: releasedRows(now.deliveries, chosen, instanceId),
        status: before.status,
        history: { at: deps.now().toISOString(), kind: 'redelivery-not-started', detail: { instanceId } },
        now: deps.now(),
    });
}

import type { DeliveryRecord, LeadRecord } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import type { RunMonitor } from '../ports/RunMonitor';
import { claimExpired, type DeliveryPolicy, isInProgress, targetDeliveryInstanceId } from './pipelineTypes';

/** Why a claim no longer protects its target: too old to belong to a live run, or its run is known to have ended. */
export type AbandonReason = 'deadline-passed' | 'run-ended';

export interface ClaimCheck {
    now: Date;
    /** The delivery policy (`config.pipeline.delivery`); without a deadline a claim never expires by age. */
    delivery?: Pick<DeliveryPolicy, 'deadlineMinutes'>;
    /** Without it, only age counts. */
    runs?: RunMonitor;
    logger?: Logger;
}

/**
 * The targets whose `pending`/`retrying` row is held by a run that is gone. Age is always checked (see
 * `claimExpired`); a younger claim is abandoned when the run it names has ended (failed or terminated without
 * recording, so nothing will ever finish the row) and so has that run's delivery sub-orchestration for the target:
 * terminating a parent does not stop its sub-orchestrations, which keep attempting. This lets a redelivery take the
 * target at once instead of after the deadline. A run that cannot be looked up keeps its claim: a wrong "abandoned"
 * could deliver twice.
 */
export async function abandonedClaims(record: LeadRecord, check: ClaimCheck): Promise<Map<string, AbandonReason>> {
    const abandoned = new Map<string, AbandonReason>();
    const owners = new Map<string, DeliveryRecord[]>();
    for (const row of record.deliveries.filter(isInProgress)) {
        if (claimExpired(row, check.now, check.delivery?.deadlineMinutes)) abandoned.set(row.target, 'deadline-passed');
        else if (row.claimedBy !== undefined) owners.set(row.claimedBy, [...(owners.get(row.claimedBy) ?? []), row]);
    }
    if (check.runs === undefined) return abandoned;
    const runs = check.runs;
    await Promise.all(
        [...owners].map(async ([instanceId, rows]) => {
            try {
                if ((await runs.stateOf(instanceId)) !== 'ended') return;
                for (const row of rows) {
                    const child = await runs.stateOf(targetDeliveryInstanceId(instanceId, row.target));
                    // `unknown`: the run ended before it started this target's delivery.
                    if (child !== 'running') abandoned.set(row.target, 'run-ended');
                }
            } catch (err) {
                check.logger?.warn('Run state not available; its claim is kept', {
                    leadId: record.leadId,
                    instanceId,
                    error: err instanceof Error ? err.name : 'unknown',
                });
            }
        }),
    );
    return abandoned;
}

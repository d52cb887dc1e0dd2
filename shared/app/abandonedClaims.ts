import {
    type AbandonReason,
    claimExpired,
    type DeliveryRecord,
    endedWithItsRun,
    isInProgress,
    type LeadRecord,
} from '../domain/index';
import { instanceIds } from '../names';
import type { Logger } from '../ports/Logger';
import type { RunMonitor } from '../ports/RunMonitor';

export interface ClaimCheck {
    now: Date;
    /** The delivery policy (`config.pipeline.delivery`); without a deadline a claim never expires by age. */
    delivery?: { deadlineMinutes: number };
    /** Without it, only age counts. */
    runs?: RunMonitor;
    logger?: Logger;
}

/**
 * The targets whose `pending`/`retrying` row is held by a run that is gone (the rules: `deliveryClaims` in the
 * domain). Age is always checked; a younger claim's run and that run's delivery sub-orchestration for the target are
 * looked up through the `RunMonitor`, so a redelivery can take the target at once instead of after the deadline. A
 * run that cannot be looked up keeps its claim: a wrong "abandoned" could deliver twice.
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
                const run = await runs.stateOf(instanceId);
                if (run !== 'ended') return;
                for (const row of rows) {
                    const child = await runs.stateOf(instanceIds.targetDelivery(instanceId, row.target));
                    if (endedWithItsRun(run, child)) abandoned.set(row.target, 'run-ended');
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

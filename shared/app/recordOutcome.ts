import type { DeliveryRecord, LeadRepository, LeadStatus } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry';
import { isInProgress, type RecordOutcomeInput, type TargetOutcome } from './pipelineTypes';

export interface RecordOutcomeDeps {
    leads: LeadRepository;
    logger: Logger;
    now(): Date;
}

/**
 * The lead's status from its targets' delivery rows (skipped targets do not count). While any target is still
 * pending or retrying (another run is delivering it) the lead is `delivering`: no final status a poller would stop on.
 */
export function leadStatusOf(outcomes: readonly Pick<TargetOutcome, 'status'>[]): LeadStatus {
    const counted = outcomes.filter((o) => o.status !== 'skipped');
    if (counted.length === 0) return 'not-routed';
    if (counted.some(isInProgress)) return 'delivering';
    const delivered = counted.filter((o) => o.status === 'delivered').length;
    if (delivered === counted.length) return 'delivered';
    return delivered === 0 ? 'failed' : 'partially-delivered';
}

/** Re-reads and merges again this many times when another writer changed a delivery row meanwhile. */
const MAX_COMMIT_TRIES = 8;

/**
 * Records a run's end. The delivery rows (`deliverToTarget` writes one per attempt, `requestRedelivery` claims them)
 * are the truth; this run's outcomes are merged into them, never written over them: another run (a redelivery) may
 * have delivered or claimed a target after this run was done with it. The rows and the lead status computed from
 * all of them are committed together, only if no row changed since read (ETag), else read and merged again.
 */
export async function recordOutcome(deps: RecordOutcomeDeps, input: RecordOutcomeInput): Promise<LeadStatus> {
    const now = deps.now();
    const at = now.toISOString();
    let status: LeadStatus | undefined;
    for (let tries = 1; status === undefined; tries++) {
        const record = await deps.leads.get(input.leadId);
        if (record === undefined) throw new Error(`Lead ${input.leadId} is not stored`);
        const changed: DeliveryRecord[] = [];
        const rows = record.deliveries.map((row) => {
            const o = input.outcomes.find((x) => x.target === row.target);
            const merged = o === undefined ? row : mergeOutcome(row, o, input.runId, at);
            if (merged !== row) changed.push(merged);
            return merged;
        });
        for (const o of input.outcomes.filter((x) => !record.deliveries.some((d) => d.target === x.target))) {
            changed.push(newRow(o, at));
            rows.push(changed.at(-1)!);
        }
        const next = leadStatusOf(rows);
        const committed = await deps.leads.commitDeliveries(record, {
            deliveries: changed,
            unchanged: record.deliveries.filter((d) => !changed.some((c) => c.target === d.target)),
            status: next,
            completed: next !== 'delivering',
            history: { at, kind: 'completed', detail: { status: next } },
            now,
        });
        if (committed) status = next;
        else if (tries >= MAX_COMMIT_TRIES) throw new Error(`Delivery rows of ${input.leadId} kept changing`);
    }
    for (const o of input.outcomes) pipelineMetrics().deliveries.add(1, { target: o.target, outcome: o.status });
    const latency = now.getTime() - Date.parse(input.receivedAt);
    if (Number.isFinite(latency)) pipelineMetrics().endToEndLatency.record(latency, { status });
    deps.logger.info('Lead outcome recorded', { leadId: input.leadId, status, targets: input.outcomes.length });
    return status;
}

/**
 * One target's row after this run's outcome. Final rows (delivered, failed, skipped) were written by the attempt
 * that ended them, this run's or a newer one: kept as they are. A pending/retrying row still claimed by this run is
 * this run giving up (after transient failures, or at the deadline before an attempt): it becomes `failed`. A
 * pending/retrying row claimed by another run belongs to a newer run that claimed the target: kept.
 */
function mergeOutcome(row: DeliveryRecord, o: TargetOutcome, runId: string, at: string): DeliveryRecord {
    if (!isInProgress(row) || row.claimedBy !== runId || o.status !== 'failed') return row;
    return {
        ...row,
        status: 'failed',
        attempts: Math.max(row.attempts, o.attempts),
        lastError: o.lastError ?? row.lastError,
        lastHttpStatus: o.lastHttpStatus ?? row.lastHttpStatus,
        updatedAt: at,
        claimedBy: undefined,
    };
}

/** A target without a row (not written by the decision): this run's outcome is all there is. */
function newRow(o: TargetOutcome, at: string): DeliveryRecord {
    return {
        target: o.target,
        role: 'outreach',
        status: o.status,
        attempts: o.attempts,
        externalId: o.externalId,
        lastError: o.status === 'delivered' ? undefined : o.lastError,
        lastHttpStatus: o.lastHttpStatus,
        updatedAt: at,
        deliveredAt: o.status === 'delivered' ? at : undefined,
    };
}

import type { DeliveryRecord, LeadRepository, LeadStatus } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry';
import type { RecordOutcomeInput, TargetOutcome } from './pipelineTypes';

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
    if (counted.some((o) => o.status === 'pending' || o.status === 'retrying')) return 'delivering';
    const delivered = counted.filter((o) => o.status === 'delivered').length;
    if (delivered === counted.length) return 'delivered';
    return delivered === 0 ? 'failed' : 'partially-delivered';
}

/**
 * Stores each target's final outcome and the lead status. Targets not in `outcomes` (e.g. not redelivered) keep
 * their stored outcome and still count for the lead status.
 */
export async function recordOutcome(deps: RecordOutcomeDeps, input: RecordOutcomeInput): Promise<LeadStatus> {
    const record = await deps.leads.get(input.leadId);
    if (record === undefined) throw new Error(`Lead ${input.leadId} is not stored`);
    const now = deps.now();
    const at = now.toISOString();
    const updated: DeliveryRecord[] = input.outcomes.map((o) => {
        const stored = record.deliveries.find((d) => d.target === o.target);
        return {
            target: o.target,
            role: stored?.role ?? 'outreach',
            status: o.status,
            attempts: Math.max(o.attempts, stored?.attempts ?? 0),
            externalId: o.externalId ?? stored?.externalId,
            lastError: o.status === 'delivered' ? undefined : o.lastError,
            lastHttpStatus: o.lastHttpStatus,
            updatedAt: at,
            deliveredAt: o.status === 'delivered' ? (stored?.deliveredAt ?? at) : undefined,
        };
    });
    const all = record.deliveries.map((d) => updated.find((u) => u.target === d.target) ?? d);
    const status = leadStatusOf(all);
    await deps.leads.complete(record, status, updated, now);
    for (const o of input.outcomes) pipelineMetrics().deliveries.add(1, { target: o.target, outcome: o.status });
    const latency = now.getTime() - Date.parse(input.receivedAt);
    if (Number.isFinite(latency)) pipelineMetrics().endToEndLatency.record(latency, { status });
    deps.logger.info('Lead outcome recorded', { leadId: input.leadId, status, targets: input.outcomes.length });
    return status;
}

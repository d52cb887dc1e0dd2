import { type LeadStatus, leadStatusOf, mergeRunOutcomes } from '../domain/index';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { commitWithRetry } from './commitWithRetry';
import type { RecordOutcomeInput } from './pipelineTypes';

export interface RecordOutcomeDeps {
    leads: LeadRepository;
    logger: Logger;
    now(): Date;
}

/** Re-reads and merges again this many times when another writer changed a delivery row meanwhile. */
const MAX_COMMIT_TRIES = 8;

/**
 * Records a run's end. The delivery rows (`deliverToTarget` writes one per attempt, `requestRedelivery` claims them)
 * are the truth; this run's outcomes are merged into them (`mergeRunOutcomes`), never written over them. The rows
 * and the lead status computed from all of them are committed together, only if no row changed since read (ETag),
 * else read and merged again.
 */
export async function recordOutcome(deps: RecordOutcomeDeps, input: RecordOutcomeInput): Promise<LeadStatus> {
    const now = deps.now();
    const at = now.toISOString();
    const status = await commitWithRetry(
        deps.leads,
        input.leadId,
        (record) => {
            if (record === undefined) throw new Error(`Lead ${input.leadId} is not stored`);
            const { rows, changed } = mergeRunOutcomes(record.deliveries, input.outcomes, input.runId, at);
            const next = leadStatusOf(rows);
            return {
                commit: {
                    deliveries: changed,
                    unchanged: record.deliveries.filter((d) => !changed.some((c) => c.target === d.target)),
                    status: next,
                    completed: next !== 'delivering',
                    history: { at, kind: 'completed', detail: { status: next } },
                    now,
                },
                result: next,
            };
        },
        { maxTries: MAX_COMMIT_TRIES },
    );
    for (const o of input.outcomes) pipelineMetrics().deliveries.add(1, { target: o.target, outcome: o.status });
    const latency = now.getTime() - Date.parse(input.receivedAt);
    if (Number.isFinite(latency)) pipelineMetrics().endToEndLatency.record(latency, { status });
    deps.logger.info('Lead outcome recorded', { leadId: input.leadId, status, targets: input.outcomes.length });
    return status;
}

import { type PrivacyPolicy, retentionCutoffs, type RetentionKind } from '../../domain/index';
import type { CheckpointStore } from '../../ports/CheckpointStore';
import type { ErasureLog } from '../../ports/ErasureLog';
import type { LeadEraser } from '../../ports/LeadEraser';
import type { Logger } from '../../ports/Logger';
import type { PayloadEraser } from '../../ports/PayloadEraser';
import type { RunPurger } from '../../ports/RunPurger';
import { pipelineMetrics } from '../../telemetry/pipelineMetrics';
import { compactStamp } from './requestErasure';

export interface RetentionDeps {
    policy: PrivacyPolicy;
    leads: LeadEraser;
    payloads: PayloadEraser;
    runs: RunPurger;
    checkpoints: CheckpointStore;
    /** Where a run that removed something is recorded (the privacy audit). */
    audit: Pick<ErasureLog, 'recordRetention'>;
    logger: Logger;
    /** 8 hex characters, for the run's id. */
    randomId(): string;
    now(): Date;
    /** Milliseconds, for the run's time budget. */
    clock?: () => number;
}

export interface RetentionOptions {
    /** Items one storage query reads and one batch removes. */
    batchSize: number;
    /** A run stops starting batches after this long; the next run goes on where it stopped. */
    timeBudgetMs: number;
}

export type RetentionResult = Record<RetentionKind | 'tombstones', number> & { complete: boolean };

/** Where the purge of durable histories got to: the next run purges from a little before it. */
const DURABLE_CHECKPOINT = 'retention-durable-histories';
const DURABLE_OVERLAP_MS = 86_400_000;

/**
 * Removes what is past its period (`privacy.retentionDays`), batch by batch, until nothing is left or the time
 * budget is spent: leads with everything they left (partition, raw body, index and journey rows, their runs'
 * histories) and tombstones of erased leads past the leads' period, raw bodies, invalid payloads, parked events and
 * ended orchestrations. Each removal is idempotent and the stored data is the only state, so a run that stops (a
 * crash, the budget, a restart) loses nothing: the next one finds what is left. Counted by kind
 * (`privacy.retention.removed`), and a run that removed something leaves an audit entry (counts only): the Turkish
 * by-law on erasure (Official Gazette 30224, art. 7(3)) asks that every erasure, periodic ones too, be recorded.
 */
export async function applyRetention(deps: RetentionDeps, options: RetentionOptions): Promise<RetentionResult> {
    const clock = deps.clock ?? (() => Date.now());
    const deadline = clock() + options.timeBudgetMs;
    const now = deps.now();
    const cutoffs = retentionCutoffs(deps.policy, now);
    const result: RetentionResult = {
        leads: 0,
        tombstones: 0,
        rawBodies: 0,
        invalidPayloads: 0,
        parkedEvents: 0,
        durableHistories: 0,
        complete: true,
    };
    const inTime = () => {
        if (clock() < deadline) return true;
        result.complete = false;
        return false;
    };
    const drain = async (
        kind: 'rawBodies' | 'invalidPayloads' | 'parkedEvents',
        removeBatch: () => Promise<number>,
    ) => {
        while (inTime()) {
            const removed = await removeBatch();
            result[kind] += removed;
            if (removed < options.batchSize) return;
        }
    };

    let token: string | undefined;
    do {
        if (!inTime()) break;
        const page = await deps.leads.receivedBefore(cutoffs.leads, options.batchSize, token);
        for (const leadId of page.leadIds) {
            const traces = await deps.leads.traces(leadId);
            if (traces === undefined) continue;
            await deps.runs.stop(traces.runIds, 'retention period over');
            await deps.leads.erase(leadId);
            await deps.runs.purge(traces.runIds);
            result[traces.tombstoned ? 'tombstones' : 'leads']++;
        }
        token = page.continuationToken;
    } while (token !== undefined);

    await drain('rawBodies', () => deps.leads.removeRawBodiesBefore(cutoffs.rawBodies, options.batchSize));
    await drain('invalidPayloads', () =>
        deps.payloads.removeInvalidPayloadsBefore(cutoffs.invalidPayloads, options.batchSize),
    );
    await drain('parkedEvents', () => deps.payloads.removeParkedBefore(cutoffs.parkedEvents, options.batchSize));

    if (inTime()) {
        const before = await deps.checkpoints.get(DURABLE_CHECKPOINT);
        const from = before === undefined ? undefined : new Date(Date.parse(before) - DURABLE_OVERLAP_MS);
        result.durableHistories = await deps.runs.purgeEndedBetween(from, cutoffs.durableHistories);
        await deps.checkpoints.set(DURABLE_CHECKPOINT, cutoffs.durableHistories.toISOString());
    }

    for (const kind of [
        'leads',
        'tombstones',
        'rawBodies',
        'invalidPayloads',
        'parkedEvents',
        'durableHistories',
    ] as const) {
        if (result[kind] > 0) pipelineMetrics().retentionRemoved.add(result[kind], { kind });
    }
    const { complete, ...removed } = result;
    if (Object.values(removed).some((n) => n > 0)) {
        await deps.audit.recordRetention({
            runId: `rt-${compactStamp(now)}-${deps.randomId()}`,
            at: now.toISOString(),
            retentionDays: { ...deps.policy.retentionDays },
            removed,
            complete,
        });
    }
    deps.logger.info(complete ? 'Retention applied' : 'Retention applied in part; the next run goes on', {
        ...removed,
        complete,
    });
    return result;
}

import type { CheckpointStore } from '../ports/CheckpointStore';
import type { LeadRepository } from '../ports/LeadRepository';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';

export interface LeadSilenceDeps {
    leads: LeadRepository;
    checkpoints: CheckpointStore;
    now(): Date;
}

/** Checkpoint holding when silence was first measured, so a new deployment is not silent "since ever". */
export const silenceWatchCheckpoint = 'lead-silence-watch-started';

/** The lost-leads alarm goes up to 30 days: one day more is enough to tell "quiet for longer than any N". */
const LOOK_BACK_DAYS = 31;

/**
 * Records `leads.hours_since_last_lead`: hours since the newest stored lead (validation leads count: they prove the
 * endpoint works), or since monitoring began when none is stored. The no-leads metric alert fires past N × 24, so it
 * needs no log query over N days (log search alerts are limited to two days). At most one index query per call.
 */
export async function reportLeadSilence(deps: LeadSilenceDeps): Promise<number> {
    const now = deps.now();
    const since = new Date(now.getTime() - LOOK_BACK_DAYS * 86_400_000);
    const newest = (await deps.leads.list({ since, limit: 1 })).items[0]?.receivedAt;
    let reference: Date;
    if (newest !== undefined) reference = new Date(newest);
    else {
        let started = await deps.checkpoints.get(silenceWatchCheckpoint);
        if (started === undefined) {
            started = now.toISOString();
            await deps.checkpoints.set(silenceWatchCheckpoint, started);
        }
        reference = new Date(Math.max(new Date(started).getTime(), since.getTime()));
    }
    const hours = Math.round((Math.max(0, now.getTime() - reference.getTime()) / 3_600_000) * 100) / 100;
    pipelineMetrics().hoursSinceLastLead.record(hours);
    return hours;
}

import { parseMarketplaceTableRow } from '../domain/index';
import type { CheckpointStore } from '../ports/CheckpointStore';
import type { MarketplaceRowSource } from '../ports/MarketplaceRowSource';
import { acceptLead, type AcceptLeadDeps } from './acceptLead';

export interface PollDeps extends AcceptLeadDeps {
    rows: MarketplaceRowSource;
    checkpoints: CheckpointStore;
}

export interface PollOptions {
    checkpointName: string;
    overlapMinutes: number;
    pageSize: number;
}

export interface PollResult {
    rows: number;
    accepted: number;
    duplicates: number;
    watermark?: string;
}

/**
 * Reads rows written since the stored watermark minus an overlap (the service stamps `Timestamp` when the write
 * commits, so a slow write can carry an earlier time than one already read) and accepts each as a lead. Re-read rows
 * are recognised by their lead key. Pages come in key order, not time order, so the watermark moves only after every
 * page is stored and enqueued: a failure re-reads instead of skipping.
 */
export async function pollMarketplaceTable(deps: PollDeps, options: PollOptions): Promise<PollResult> {
    const stored = await deps.checkpoints.get(options.checkpointName);
    const since = stored === undefined ? undefined : new Date(Date.parse(stored) - options.overlapMinutes * 60_000);
    const result: PollResult = { rows: 0, accepted: 0, duplicates: 0, watermark: stored };
    let max = stored === undefined ? undefined : Date.parse(stored);
    for await (const page of deps.rows.pages(since, options.pageSize)) {
        for (const row of page) {
            result.rows++;
            const lead = parseMarketplaceTableRow(row.entity, { receivedAt: deps.now().toISOString() });
            const raw = new TextEncoder().encode(JSON.stringify(row.entity));
            const accepted = await acceptLead(deps, lead, raw);
            if (accepted.duplicate) result.duplicates++;
            else result.accepted++;
            const written = Date.parse(row.timestamp);
            if (Number.isFinite(written) && (max === undefined || written > max)) max = written;
        }
    }
    if (max !== undefined && new Date(max).toISOString() !== stored) {
        result.watermark = new Date(max).toISOString();
        await deps.checkpoints.set(options.checkpointName, result.watermark);
    }
    // Every few minutes, and the table exists only once the publisher has chosen the Table destination (the row
    // source reads a missing table as empty), so an empty poll is routine: debug, not information.
    if (result.rows === 0) deps.logger.debug('Marketplace table polled: no new rows', { ...result });
    else deps.logger.info('Marketplace table polled', { ...result });
    return result;
}

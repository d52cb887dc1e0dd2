import type { CrmRecordRef, ErasureQuery, ErasureReport } from '../domain/index';

/** What the log keeps of one erasure. */
export interface ErasureEntry {
    report: ErasureReport;
    /** Records still to delete in a target (kept until they are gone, so a retry knows them). */
    pending: CrmRecordRef[];
}

/** An export of a person's data, as the audit keeps it: when, and how much. */
export interface ExportEntry {
    exportId: string;
    at: string;
    leads: number;
    invalidPayloads: number;
    parkedEvents: number;
    marketplaceRows: number;
}

/** One retention run that removed something: when, which periods applied, and how much of each kind went. */
export interface RetentionEntry {
    /** `rt-20261201T033000Z-ab12cd34`: sorts by time. */
    runId: string;
    at: string;
    /** The periods in days the run applied (`privacy.retentionDays` with its defaults). */
    retentionDays: Record<string, number>;
    removed: Record<string, number>;
    /** False when the run stopped at its time budget; the next run goes on. */
    complete: boolean;
}

/**
 * The privacy audit: one entry per erasure, per export and per retention run that removed something, ids and counts
 * only. While an erasure runs its entry also
 * holds what it looks for (the email's lookup key and keyed hash); `finish` drops that.
 */
export interface ErasureLog {
    /** The key of the tombstones' email hash: made once, kept in the pipeline's own storage. */
    hashKey(): Promise<Uint8Array>;
    begin(report: ErasureReport, query: ErasureQuery): Promise<void>;
    /** What a running erasure looks for; undefined once it has finished. */
    query(erasureId: string): Promise<ErasureQuery | undefined>;
    save(entry: ErasureEntry): Promise<void>;
    /** Saves the final report and forgets the query. */
    finish(entry: ErasureEntry): Promise<void>;
    get(erasureId: string): Promise<ErasureEntry | undefined>;
    /** Removes an entry whose erasure never started. */
    forget(erasureId: string): Promise<void>;
    /** Newest first. */
    list(limit: number, continuationToken?: string): Promise<{ items: ErasureReport[]; continuationToken?: string }>;
    recordExport(entry: ExportEntry): Promise<void>;
    recordRetention(entry: RetentionEntry): Promise<void>;
    /** Retention runs, newest first. */
    retentionRuns(limit: number): Promise<RetentionEntry[]>;
}

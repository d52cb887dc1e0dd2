import type { CrmRecordRef, ErasureCounts } from '../domain/index';

/** One page of the scan for a person's leads. */
export interface FoundLeads {
    /** Leads of the person that are still stored. */
    live: string[];
    /** Tombstones of the person's leads erased before (found by the keyed email hash). */
    erased: string[];
    continuationToken?: string;
}

/** What finding a person's leads compares: the email's keys, and optionally the offer. */
export interface PersonMatch {
    emailKey?: string;
    emailHash?: string;
    /** Normalised offer title, offer id or `publisher.offer`. */
    offer?: string;
}

/** Where a lead left traces outside its own rows: the durable runs it had, the CRM records it made. */
export interface LeadTraces {
    leadId: string;
    /** Only a tombstone (and maybe leftovers of an interrupted erasure) is stored under the key. */
    tombstoned: boolean;
    receivedAt?: string;
    /** Instance ids of every run the lead had: its pipeline, redeliveries, their per-target sub-orchestrations. */
    runIds: string[];
    /** Records the lead's deliveries made, by the ids the targets answered. */
    records: CrmRecordRef[];
}

/** Left under an erased lead's key: ids and a keyed hash, no personal data. */
export interface Tombstone {
    erasureId: string;
    erasedAt: string;
    emailHash?: string;
}

/**
 * Finds and removes everything stored about a lead: its partition (lead row, raw body, deliveries, history), the raw
 * body blob, its row of the time index and of the journey. Every method is idempotent, so an erasure or a retention
 * run interrupted anywhere is simply run again.
 */
export interface LeadEraser {
    /** One page of a scan over the stored leads (ids and keys only, never the leads themselves unless needed). */
    findPage(match: PersonMatch, continuationToken?: string): Promise<FoundLeads>;
    /** Runs and CRM records of a stored lead; undefined when nothing is stored under `leadId`. */
    traces(leadId: string): Promise<LeadTraces | undefined>;
    /**
     * Removes the lead. With a tombstone, the tombstone replaces the lead row (written after the rows that need the
     * lead row to be found, and before the rest): an intake, a poller or a replayed event then finds it erased. Without
     * one (retention) the lead row goes last. Resolves undefined when nothing was stored.
     */
    erase(
        leadId: string,
        tombstone?: Tombstone,
    ): Promise<{ traces: LeadTraces; counts: Partial<ErasureCounts> } | undefined>;
    /** The lead's raw body as it arrived, when it is still kept. */
    rawBody(leadId: string): Promise<Uint8Array | undefined>;
    /** Leads (and tombstones) received before `cutoff`, a page of at most `limit`. */
    receivedBefore(
        cutoff: Date,
        limit: number,
        continuationToken?: string,
    ): Promise<{ leadIds: string[]; continuationToken?: string }>;
    /** Deletes up to `limit` raw bodies (table rows and blobs) stored before `cutoff`; resolves how many. */
    removeRawBodiesBefore(cutoff: Date, limit: number): Promise<number>;
}

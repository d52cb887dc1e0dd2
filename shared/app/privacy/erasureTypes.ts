/**
 * What travels through the erasure orchestrations: ids, counts and codes only. The email's keys stay in the erasure
 * log while the erasure runs (activities read them there), so no history holds anything that points at the person.
 */
import type {
    CrmRecordRef,
    ErasureCounts,
    ErasureReport,
    MarketplaceTableErasure,
    TargetErasurePolicy,
} from '../../domain/index';
import type { ErasureEntry } from '../../ports/ErasureLog';
import type { RecordErasure } from '../../ports/RecordEraser';
import type { DeliveryPolicy } from '../pipelineTypes';

export interface ErasureInput {
    erasureId: string;
    requestedAt: string;
    scope: ErasureReport['scope'];
    /** Which targets erase, from the configuration when the erasure was asked for. */
    targets: TargetErasurePolicy;
    /** Retries of a target's deletes (the delivery policy's attempts, backoff and deadline). */
    retry: DeliveryPolicy;
    /** How long after stopping a lead's runs the lead is swept again: longer than any call an activity may make. */
    graceSeconds: number;
    /** Set on a retry: only these records are deleted, from the report this input carries. */
    retryOf?: { report: ErasureReport; pending: CrmRecordRef[] };
}

export interface FindLeadsInput {
    erasureId: string;
    continuationToken?: string;
    /** The first page also looks at the lead ids the request named. */
    first: boolean;
}

export interface LeadStepInput {
    erasureId: string;
    leadId: string;
}

export interface StopRunsResult {
    /** Runs of the lead that had not ended yet when this looked. */
    running: string[];
}

export interface LeadErasureResult {
    leadId: string;
    /** Something was stored under the lead id. */
    found: boolean;
    /** The lead was a tombstone already (erased before, or by a run interrupted after its tombstone). */
    wasTombstone: boolean;
    records: CrmRecordRef[];
    runIds: string[];
    counts: Partial<ErasureCounts>;
}

export interface TargetErasureInput {
    erasureId: string;
    target: string;
    recordIds: string[];
    policy: DeliveryPolicy;
}

export interface EraseRecordsInput {
    erasureId: string;
    target: string;
    recordIds: string[];
    attempt: number;
}

export type EraseRecordsResult = RecordErasure[];

export interface PurgeRunsInput {
    runIds: string[];
}

export interface PayloadsInput {
    erasureId: string;
    leadIds: string[];
    continuationToken?: string;
}

export interface PayloadsResult {
    invalidPayloads: number;
    parkedEvents: number;
    continuationToken?: string;
}

export interface MarketplaceRowsInput {
    erasureId: string;
    continuationToken?: string;
}

export interface MarketplaceRowsResult {
    rows: number;
    continuationToken?: string;
    /** Set when the table could not be changed: the erasure goes on and reports it. */
    problem?: Pick<MarketplaceTableErasure, 'status' | 'error'>;
}

export interface RecordErasureInput {
    entry: ErasureEntry;
    final: boolean;
}

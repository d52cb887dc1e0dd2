import type { LeadDecision } from '../domain/Decision';
import type { Lead } from '../domain/Lead';

/**
 * Where a lead stands. `destination-validated` is the marketplace's test lead: acknowledged, never delivered. `blank`
 * is a body with no contact, no LeadSource and no offer: stored, counted (`leads.outcome`, outcome `blank`), never
 * delivered.
 */
export type LeadStatus =
    | 'blank'
    | 'received'
    | 'processing'
    | 'delivering'
    | 'delivered'
    | 'partially-delivered'
    | 'failed'
    | 'destination-validated'
    | 'not-routed';

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'skipped' | 'failed';

/** The outcome of delivering one lead to one target. `lastError` never holds personal data. */
export interface DeliveryRecord {
    target: string;
    role: string;
    status: DeliveryStatus;
    attempts: number;
    externalId?: string;
    lastError?: string;
    lastHttpStatus?: number;
    skippedReason?: string;
    updatedAt: string;
    deliveredAt?: string;
    /**
     * Instance id of the run that owns a pending/retrying row: the lead pipeline (`lead-<leadId>`) or the redelivery
     * that claimed it. A run ends only rows it still owns, and an operator can find the run behind a claim.
     */
    claimedBy?: string;
    /** Storage version of the row as read (set by `get`), for `commitDeliveries`; never shown by the API. */
    etag?: string;
}

/** One entry of a lead's history (ids, codes and counts only). */
export interface LeadHistoryEntry {
    at: string;
    kind: string;
    detail?: Record<string, string | number | boolean>;
}

export interface LeadRecord {
    leadId: string;
    status: LeadStatus;
    lead: Lead;
    decision?: LeadDecision;
    deliveries: DeliveryRecord[];
    history: LeadHistoryEntry[];
    receivedAt: string;
    updatedAt: string;
    completedAt?: string;
    /** Where the raw body is kept: `table` (inline) or `blob:<name>`. */
    rawRef: string;
}

/** Identifies a stored lead; `receivedAt` locates its row in the time-ordered index. */
export type LeadRef = Pick<LeadRecord, 'leadId' | 'receivedAt'>;

export interface NewLead {
    leadId: string;
    lead: Lead;
    raw: Uint8Array;
    now: Date;
}

export interface LeadListQuery {
    status?: LeadStatus;
    /** Only leads whose status was last set before this time (with `status`: stuck in it since then). */
    statusBefore?: Date;
    /** Only leads whose status was last set at or after this time. */
    statusSince?: Date;
    since?: Date;
    limit: number;
    continuationToken?: string;
}

/**
 * An optimistic change of a lead's delivery rows: all or nothing, and only if no row involved changed since it was
 * read. Rows in `deliveries` are written (each only if its `etag` still matches; a row without one only if it does
 * not exist yet); rows in `unchanged` are not written but must still match their `etag`.
 */
export interface DeliveryCommit {
    deliveries: DeliveryRecord[];
    unchanged?: DeliveryRecord[];
    /** Also sets the lead status (and `completedAt` when `completed`). */
    status?: LeadStatus;
    completed?: boolean;
    history: LeadHistoryEntry;
    /** Further history entries written in the same transaction (e.g. one `claim-expired` per target). */
    moreHistory?: LeadHistoryEntry[];
    now: Date;
}

export interface LeadSummary {
    leadId: string;
    status: LeadStatus;
    /** When the status was last set. */
    statusAt?: string;
    receivedAt: string;
    channel: string;
    grade?: string;
}

/**
 * Everything the pipeline keeps about a lead. `create` is idempotent by lead id: it resolves `created: false` when
 * the lead already exists, so a repeated callback never produces a second record.
 */
export interface LeadRepository {
    create(lead: NewLead): Promise<{ created: boolean; status: LeadStatus }>;
    /** Status of the first of `leadIds` that exists, or undefined. */
    findExisting(leadIds: string[]): Promise<{ leadId: string; status: LeadStatus } | undefined>;
    get(leadId: string): Promise<LeadRecord | undefined>;
    saveDecision(
        lead: LeadRef,
        decision: LeadDecision,
        status: LeadStatus,
        deliveries: DeliveryRecord[],
        now: Date,
    ): Promise<void>;
    /** Resolves false, writing nothing, when another writer changed a row first (read again and retry). */
    commitDeliveries(lead: LeadRef, commit: DeliveryCommit): Promise<boolean>;
    setStatus(lead: LeadRef, status: LeadStatus, history: LeadHistoryEntry): Promise<void>;
    list(query: LeadListQuery): Promise<{ items: LeadSummary[]; continuationToken?: string }>;
    /** Every lead of one person on one offer (the journey), oldest first. */
    journey(personKey: string): Promise<JourneyStep[]>;
}

export interface JourneyStep {
    leadId: string;
    receivedAt: string;
    channel: string;
    actionCode?: string;
    actionMeaning: string;
}

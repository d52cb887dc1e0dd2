import type {
    ActionMeaning,
    DeliveryRecord,
    JourneyStep,
    Lead,
    LeadChannel,
    LeadDecision,
    LeadHistoryEntry,
    LeadRecord,
    LeadRef,
    LeadSearch,
    LeadSla,
    LeadSourceKind,
    LeadStatus,
    QualificationOutcome,
} from '../domain/index';

export interface NewLead {
    leadId: string;
    lead: Lead;
    raw: Uint8Array;
    now: Date;
}

/** Filters of the lead list besides the status; every one is optional and they combine with "and". */
export interface LeadListFilters {
    grade?: string;
    outcome?: QualificationOutcome;
    source?: LeadSourceKind;
    /** The action's meaning (`contact-me`, `install`, …). */
    action?: ActionMeaning;
    /** The offer as listed (its title, else its id), exactly. */
    offer?: string;
    channel?: LeadChannel;
    /** Only leads received before this time (with `since`, a date range). */
    until?: Date;
    /** An email (by its key) or part of a company name; see `parseLeadSearch`. */
    search?: LeadSearch;
}

export interface LeadListQuery extends LeadListFilters {
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
    /**
     * With `status`: the decision committed with its first attempts (saved with `index: false`), whose grade,
     * outcome and points go onto the index row here.
     */
    decision?: LeadDecision;
    now: Date;
}

/** One target's delivery as the list shows it. */
export interface ListedDelivery {
    target: string;
    status: string;
    attempts: number;
}

/**
 * One row of the lead list, read from the time index alone. The person, company, offer and action columns come from
 * the intake; grade, outcome and points from the decision; `completedAt` and `deliveries` from the final outcome.
 * Rows indexed before those columns existed carry only the ids, status and grade.
 */
export interface LeadSummary {
    leadId: string;
    status: LeadStatus;
    /** When the status was last set. */
    statusAt?: string;
    receivedAt: string;
    channel: string;
    grade?: string;
    /** First and last name as sent. */
    name?: string;
    company?: string;
    offer?: string;
    /** The action code as sent, and its meaning. */
    actionCode?: string;
    action?: string;
    source?: string;
    outcome?: string;
    points?: number;
    /** When the lead reached its final status. */
    completedAt?: string;
    deliveries?: ListedDelivery[];
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
    /**
     * Stores a first decision with its delivery rows and resolves the rows as written (with their ETags, for a
     * `commitDeliveries` that follows). `index: false` leaves the list's index row as it is: a caller that commits the
     * lead's next status right after saves writing it twice.
     */
    saveDecision(
        lead: LeadRef,
        decision: LeadDecision,
        status: LeadStatus,
        deliveries: DeliveryRecord[],
        now: Date,
        options?: { index?: boolean; sla?: LeadSla },
    ): Promise<DeliveryRecord[]>;
    /**
     * Writes the lead's owner and SLA row with `history` (and the decision, when given), only if the row is as read (`sla.etag`; without one, only
     * if there is none yet). Resolves the row with its new ETag, or false when another writer changed it first.
     */
    saveSla(
        lead: LeadRef,
        sla: LeadSla,
        history: LeadHistoryEntry[],
        now: Date,
        /** With it, the stored decision too (a reassignment changes `decision.owner`), in the same transaction. */
        decision?: LeadDecision,
    ): Promise<LeadSla | false>;
    /**
     * Resolves the rows of `deliveries` as written, with their new ETags (so a further commit needs no read); false,
     * writing nothing, when another writer changed a row first (read again and retry).
     */
    commitDeliveries(lead: LeadRef, commit: DeliveryCommit): Promise<DeliveryRecord[] | false>;
    setStatus(lead: LeadRef, status: LeadStatus, history: LeadHistoryEntry): Promise<void>;
    list(query: LeadListQuery): Promise<{ items: LeadSummary[]; continuationToken?: string }>;
    /** Every lead of one person on one offer (the journey), oldest first. */
    journey(personKey: string): Promise<JourneyStep[]>;
}

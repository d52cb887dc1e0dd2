import type { LeadSla } from '../assignment/leadSla';
/**
 * What the pipeline keeps about a lead and each of its deliveries. The statuses are const tuples: the types, the
 * API's validators and the lifecycle's rules (`deliveryLifecycle.ts`) all derive from them, so a status is added in
 * one place.
 */
import type { LeadDecision } from '../Decision';
import type { Lead } from '../Lead';

/**
 * Where a lead stands. `destination-validated` is the marketplace's test lead: acknowledged, never delivered. `blank`
 * is a body with no contact, no LeadSource and no offer: stored, counted (`leads.outcome`, outcome `blank`), never
 * delivered. `not-routed`: routing chose no target; `skipped`: it chose targets, and every one was skipped (not
 * configured, not enabled, or an outreach target of a do-not-contact lead: each delivery's `skippedReason` says
 * which).
 */
export const leadStatuses = [
    'received',
    'processing',
    'delivering',
    'delivered',
    'partially-delivered',
    'failed',
    'destination-validated',
    'blank',
    'not-routed',
    'skipped',
    'erased',
] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/**
 * Where one target's delivery stands. `pending` and `retrying` are a run's claim on the target (see
 * `DeliveryRecord.claimedBy`); `delivered`, `skipped` and `failed` are final until a redelivery claims the target.
 */
export const deliveryStatuses = ['pending', 'retrying', 'delivered', 'skipped', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const isLeadStatus = (value: unknown): value is LeadStatus =>
    typeof value === 'string' && (leadStatuses as readonly string[]).includes(value);

export const isDeliveryStatus = (value: unknown): value is DeliveryStatus =>
    typeof value === 'string' && (deliveryStatuses as readonly string[]).includes(value);

/** The outcome of delivering one lead to one target. `lastError` never holds personal data. */
export interface DeliveryRecord {
    target: string;
    role: string;
    status: DeliveryStatus;
    attempts: number;
    externalId?: string;
    /**
     * The record at `externalId` was created by this lead's delivery (not an existing record of a returning person
     * that was updated): only then does its status in the CRM say anything about this lead.
     */
    created?: boolean;
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
    /**
     * Calls to the target that were started and whose results are not recorded yet: each is written before its call
     * and removed with its result. One left behind by an earlier execution of the same attempt (the worker stopped
     * during the call, and the activity ran again) is a call whose outcome nobody knows: it is counted in
     * `attempts` and `inDoubt` when the attempt's result is recorded.
     */
    inFlight?: CallInFlight[];
    /** Calls counted in `attempts` whose outcome was never learned (see `inFlight`); absent when none. */
    inDoubt?: number;
    /** Storage version of the row as read (set by `get`), for `commitDeliveries`; never shown by the API. */
    etag?: string;
}

/** The call a run started on a target: which attempt, which run, since when. */
export interface CallInFlight {
    attempt: number;
    run: string;
    since: string;
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
    /** The owner and the speed-to-lead clock, when the lead was assigned. */
    sla?: LeadSla;
}

/** Identifies a stored lead; `receivedAt` locates its row in the time-ordered index. */
export type LeadRef = Pick<LeadRecord, 'leadId' | 'receivedAt'>;

/** One lead of a person's journey on one offer. */
export interface JourneyStep {
    leadId: string;
    receivedAt: string;
    channel: string;
    actionCode?: string;
    actionMeaning: string;
}

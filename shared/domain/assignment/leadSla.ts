/**
 * A lead's owner and speed-to-lead clock as they stand: who owns it now, when the acknowledgement is due, and what
 * happened (acknowledged, escalated, parked as unattended). Kept beside the lead (its own row in the lead's
 * partition) and changed only with that row's ETag.
 */
export type SlaState = 'waiting' | 'acknowledged' | 'unattended' | 'no-sla';

/** One escalation message (or CRM owner write) as it stands: the call in flight, the attempts made, how it ended. */
export interface EscalationSend {
    target: string;
    /** The breach it belongs to: 1 for the first (the `sla-<n>` of its idempotency key). */
    round: number;
    /** What it gets: a new message for the round, or the CRM record written again with the new owner. */
    kind: 'message' | 'owner';
    /**
     * `pending`: decided with the breach, not attempted yet; `sending`: a call is in flight (or its worker stopped);
     * `retrying`: the last attempt failed and may be retried; `failed`: refused for good.
     */
    status: 'pending' | 'sending' | 'retrying' | 'delivered' | 'failed';
    /** Attempts made (a deferral is none). */
    attempts: number;
    /** The call in flight: which attempt, since when. Still set when the activity runs again: the call is in doubt. */
    inFlight?: { attempt: number; since: string };
    lastError?: string;
    lastHttpStatus?: number;
    deliveredAt?: string;
}

export interface SlaOwner {
    personId: string;
    displayName: string;
    /** When they got the lead and why (the assignment's explanation). */
    at: string;
    explanation: string;
}

export interface LeadSla {
    queue: string;
    /** The current owner; absent when nobody could be assigned. */
    personId?: string;
    displayName?: string;
    /** 0 for the first owner; one more for every breach handled (the link of an earlier round no longer counts). */
    round: number;
    escalations: number;
    assignedAt: string;
    /** Working minutes the grade gives, and when they are up. */
    minutes?: number;
    dueAt?: string;
    state: SlaState;
    acknowledgedAt?: string;
    acknowledgedBy?: 'link' | 'crm';
    /** Breaches so far, in order. */
    breaches: string[];
    owners: SlaOwner[];
    unattendedAt?: string;
    /**
     * The escalations' messages and CRM owner writes, keyed `<round>:<target>`: each is delivered by the pipeline's
     * delivery machinery (retries on durable timers, the target's budget) and its attempts are recorded here.
     */
    sends?: Record<string, EscalationSend>;
    /** The row's ETag as read; set by the repository. */
    etag?: string;
}

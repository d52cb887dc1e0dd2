/**
 * A lead's owner and speed-to-lead clock as they stand: who owns it now, when the acknowledgement is due, and what
 * happened (acknowledged, escalated, parked as unattended). Kept beside the lead (its own row in the lead's
 * partition) and changed only with that row's ETag.
 */
export type SlaState = 'waiting' | 'acknowledged' | 'unattended' | 'no-sla';

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
    /** The row's ETag as read; set by the repository. */
    etag?: string;
}

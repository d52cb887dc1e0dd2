import type { AssignmentState, OwnerAssignment, StickyOwner } from '../domain/index';

/** The shared assignment state as read, with the ETag a commit must still match. */
export interface AssignmentSnapshot {
    state: AssignmentState;
    etag?: string;
    /** The person key's earlier owner, when asked for. */
    sticky?: StickyOwner;
}

export interface AssignmentCommit {
    /** The snapshot's ETag (absent: the state row must not exist yet). */
    etag?: string;
    state: AssignmentState;
    leadId: string;
    /** 0 for a lead's first assignment, n for its n-th reassignment. */
    round: number;
    assignment: OwnerAssignment;
    /** Remembered for sticky queues: this person key's owner is now `assignment.personId`. */
    personKey?: string;
}

export interface UnattendedLead {
    leadId: string;
    queue: string;
    personId?: string;
    since: string;
    breaches: number;
}

/**
 * Owner assignment's state shared by every instance: the counters and cursors, who is out of office, one claim per
 * lead and round (so a lead is assigned once, whatever runs again), sticky owners, leads parked as unattended.
 */
export interface AssignmentStore {
    read(personKey?: string): Promise<AssignmentSnapshot>;
    /** The assignment already made for this lead and round, if any. */
    claimOf(leadId: string, round: number): Promise<OwnerAssignment | undefined>;
    /**
     * All or nothing: the state (if its ETag still matches) and the lead's claim (if it has none yet). `conflict`:
     * another instance changed the state first (read and decide again); `claimed`: this lead and round already have
     * an assignment (read it with `claimOf`).
     */
    commit(commit: AssignmentCommit): Promise<'committed' | 'conflict' | 'claimed'>;
    /** Sets or clears a person's out-of-office mark (read-modify-write with the state's ETag). */
    setOutOfOffice(personId: string, away: { since: string; until?: string } | undefined): Promise<AssignmentState>;
    markUnattended(lead: UnattendedLead): Promise<void>;
    /** Clears the mark (the lead was acknowledged after all). */
    clearUnattended(leadId: string): Promise<void>;
    listUnattended(limit: number): Promise<UnattendedLead[]>;
}

import type { ParkedLead, ParkedLeadStore } from '../ports/ParkedLeadStore';

/** Default and largest page of parked leads. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** A page of parked lead events, newest first; an unreadable `limit` falls back to the default, others are clamped. */
export function listParked(
    parked: ParkedLeadStore,
    query: { limit: string | null; continuationToken: string | null },
): Promise<{ items: ParkedLead[]; continuationToken?: string }> {
    const limit = Math.min(Math.max(Number(query.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1), MAX_LIMIT);
    return parked.list(limit, query.continuationToken ?? undefined);
}

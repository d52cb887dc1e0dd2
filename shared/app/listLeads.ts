import { abandonedBefore, type LeadStatus, type ListedStatus, listedStatus } from '../domain/index';
import type { LeadListQuery, LeadRepository, LeadSummary } from '../ports/LeadRepository';

export interface ListLeadsDeps {
    leads: LeadRepository;
    now(): Date;
    /** Without a deadline nothing is ever listed as stalled. */
    delivery?: { deadlineMinutes: number };
}

export type ListLeadsQuery = Omit<LeadListQuery, 'status' | 'statusBefore' | 'statusSince'> & { status?: ListedStatus };

export interface ListedLead extends Omit<LeadSummary, 'status'> {
    status: ListedStatus;
    /** From receipt to the final outcome of a lead that reached at least one target. */
    timeToDeliveryMs?: number;
}

const reachedATarget = new Set<string>(['delivered', 'partially-delivered']);

function timeToDelivery(lead: LeadSummary): number | undefined {
    if (!reachedATarget.has(lead.status) || lead.completedAt === undefined) return undefined;
    const ms = Date.parse(lead.completedAt) - Date.parse(lead.receivedAt);
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Recent leads, newest first, with the filters of {@link LeadListQuery} and a search. Every run that delivers sets the lead `delivering` when it starts and a final status
 * when it records, within its deadline plus the claim margin; a lead still `delivering` after that long has no run
 * left that will finish it, so it is listed as `stalled` (and `status=stalled` finds exactly those). The list uses
 * only that age; `GET /api/leads/{id}` also asks the runs and tells which targets are stalled and why, so it may
 * show a lead stalled sooner.
 */
export async function listLeads(
    deps: ListLeadsDeps,
    query: ListLeadsQuery,
): Promise<{ items: ListedLead[]; continuationToken?: string }> {
    const cutoff = abandonedBefore(deps.now(), deps.delivery?.deadlineMinutes);
    const { status, ...rest } = query;
    if (status === 'stalled' && cutoff === undefined) return { items: [] };
    const stored = (s: LeadStatus | undefined): LeadListQuery => ({ ...rest, status: s });
    const page = await deps.leads.list(
        status === 'stalled'
            ? { ...stored('delivering'), statusBefore: cutoff }
            : status === 'delivering'
              ? { ...stored(status), statusSince: cutoff }
              : stored(status),
    );
    return {
        ...page,
        items: page.items.map((lead) => ({
            ...lead,
            status: listedStatus(lead.status, lead.statusAt, cutoff),
            timeToDeliveryMs: timeToDelivery(lead),
        })),
    };
}

import type { LeadListQuery, LeadRepository, LeadStatus, LeadSummary } from '../ports/LeadRepository';
import { CLAIM_EXPIRY_MARGIN_MINUTES, type DeliveryPolicy } from './pipelineTypes';

/** What the list answers: the stored status, or `stalled` for a lead left `delivering` by a run that is gone. */
export type ListedStatus = LeadStatus | 'stalled';

export interface ListLeadsDeps {
    leads: LeadRepository;
    now(): Date;
    /** Without a deadline nothing is ever listed as stalled. */
    delivery?: Pick<DeliveryPolicy, 'deadlineMinutes'>;
}

export type ListLeadsQuery = Omit<LeadListQuery, 'status' | 'statusBefore' | 'statusSince'> & { status?: ListedStatus };

export interface ListedLead extends Omit<LeadSummary, 'status'> {
    status: ListedStatus;
}

/**
 * Recent leads, newest first. Every run that delivers sets the lead `delivering` when it starts and a final status
 * when it records, within its deadline plus the claim margin; a lead still `delivering` after that long has no run
 * left that will finish it, so it is listed as `stalled` (and `status=stalled` finds exactly those). The list uses
 * only that age; `GET /api/leads/{id}` also asks the runs and tells which targets are stalled and why, so it may
 * show a lead stalled sooner.
 */
export async function listLeads(
    deps: ListLeadsDeps,
    query: ListLeadsQuery,
): Promise<{ items: ListedLead[]; continuationToken?: string }> {
    const minutes =
        deps.delivery === undefined ? undefined : deps.delivery.deadlineMinutes + CLAIM_EXPIRY_MARGIN_MINUTES;
    const cutoff = minutes === undefined ? undefined : new Date(deps.now().getTime() - minutes * 60_000);
    const { status, ...rest } = query;
    if (status === 'stalled' && cutoff === undefined) return { items: [] };
    const page = await deps.leads.list(
        status === 'stalled'
            ? { ...rest, status: 'delivering', statusBefore: cutoff }
            : status === 'delivering'
              ? { ...rest, status, statusSince: cutoff }
              : { ...rest, status },
    );
    const stalled = (lead: LeadSummary) =>
        lead.status === 'delivering' &&
        cutoff !== undefined &&
        lead.statusAt !== undefined &&
        lead.statusAt < cutoff.toISOString();
    return {
        ...page,
        items: page.items.map((lead) => (stalled(lead) ? { ...lead, status: 'stalled' } : lead)),
    };
}

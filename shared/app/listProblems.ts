import type { AssignmentStore, UnattendedLead } from '../ports/AssignmentStore';
import type { InvalidPayloadStore, InvalidPayloadSummary } from '../ports/InvalidPayloadStore';
import type { ParkedLead, ParkedLeadStore } from '../ports/ParkedLeadStore';
import type { TargetHealthEntry, TargetsHealthReport } from './checkTargetsHealth';
import { type ListedLead, listLeads, type ListLeadsDeps } from './listLeads';

export interface ProblemsDeps extends ListLeadsDeps {
    parked: ParkedLeadStore;
    invalidPayloads: InvalidPayloadStore;
    /** The targets' health check (each target's credentials, with expiry where known). */
    targetsHealth(): Promise<TargetsHealthReport>;
    /** Owner assignment's store, for leads parked as unattended (nobody acknowledged them in time). */
    assignments?: AssignmentStore;
}

/** How far back failed leads and bad bodies count as a problem; older ones are history. */
export const PROBLEM_WINDOW_DAYS = 7;
/** A credential this close to expiry is listed, before the health check calls it unhealthy (14 days). */
export const EXPIRY_NOTICE_DAYS = 30;
const SHOWN = 50;

export interface Problems {
    /** Anything here needs the publisher: the console's first screen says so. */
    needsAttention: boolean;
    counts: {
        parked: number;
        invalidPayloads: number;
        stalled: number;
        failed: number;
        unhealthyTargets: number;
        expiringCredentials: number;
        unattended: number;
    };
    /** Parked events not replayed yet, newest first. */
    parked: ParkedLead[];
    invalidPayloads: InvalidPayloadSummary[];
    stalled: ListedLead[];
    failed: ListedLead[];
    unhealthyTargets: TargetHealthEntry[];
    expiringCredentials: TargetHealthEntry[];
    /** Leads whose SLA ran out past every escalation: nobody has them (docs/assignment.md). */
    unattended: UnattendedLead[];
    checkedAt: string;
}

/**
 * Everything that needs a person: parked lead events (replayable), bodies that were not a lead, leads stalled in
 * delivery and leads that failed in the last {@link PROBLEM_WINDOW_DAYS} days (redeliverable), unhealthy targets and
 * credentials expiring within {@link EXPIRY_NOTICE_DAYS} days, leads parked as unattended. Each list shows at most 50; the counts say how many.
 */
export async function listProblems(deps: ProblemsDeps): Promise<Problems> {
    const now = deps.now();
    const windowStart = new Date(now.getTime() - PROBLEM_WINDOW_DAYS * 86_400_000);
    const [parkedPage, invalid, stalled, failed, health, unattended] = await Promise.all([
        deps.parked.list(500),
        deps.invalidPayloads.recent(500),
        listLeads(deps, { status: 'stalled', limit: 500 }),
        listLeads(deps, { status: 'failed', since: windowStart, limit: 500 }),
        deps.targetsHealth(),
        deps.assignments?.listUnattended(500) ?? Promise.resolve([]),
    ]);
    const parked = parkedPage.items.filter((p) => p.replayCount === 0);
    const recentInvalid = invalid.filter((p) => p.receivedAt >= windowStart.toISOString());
    const unhealthyTargets = health.targets.filter((t) => t.state === 'unhealthy');
    const noticeUntil = now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000;
    const expiringCredentials = health.targets.filter(
        (t) => t.credentialExpiresAt !== undefined && Date.parse(t.credentialExpiresAt) <= noticeUntil,
    );
    const counts = {
        parked: parked.length,
        invalidPayloads: recentInvalid.length,
        stalled: stalled.items.length,
        failed: failed.items.length,
        unhealthyTargets: unhealthyTargets.length,
        expiringCredentials: expiringCredentials.length,
        unattended: unattended.length,
    };
    return {
        needsAttention: Object.values(counts).some((n) => n > 0),
        counts,
        parked: parked.slice(0, SHOWN),
        invalidPayloads: recentInvalid.slice(0, SHOWN),
        stalled: stalled.items.slice(0, SHOWN),
        failed: failed.items.slice(0, SHOWN),
        unhealthyTargets,
        expiringCredentials,
        unattended: unattended.slice(0, SHOWN),
        checkedAt: now.toISOString(),
    };
}

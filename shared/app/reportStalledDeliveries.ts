import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { listLeads, type ListLeadsDeps } from './listLeads';

export interface StalledReportDeps extends ListLeadsDeps {
    logger: Logger;
}

/** Lead ids named in one warning; the count is always complete. */
const MAX_IDS_LOGGED = 20;

/**
 * Counts the leads left `delivering` by runs that are gone (see `listLeads`) and reports them: one warning with the
 * count and the first lead ids, and the `leads.stalled` metric the `stalled-deliveries` alert watches. They are not
 * redelivered here: a run may have been terminated on purpose; `POST /api/leads/{id}/redeliver` is the operator's.
 */
export async function reportStalledDeliveries(deps: StalledReportDeps, lookBackDays: number): Promise<number> {
    const since = new Date(deps.now().getTime() - lookBackDays * 86_400_000);
    const leadIds: string[] = [];
    let continuationToken: string | undefined;
    do {
        const page = await listLeads(deps, { status: 'stalled', since, limit: 100, continuationToken });
        leadIds.push(...page.items.map((lead) => lead.leadId));
        continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    pipelineMetrics().stalledLeads.record(leadIds.length);
    if (leadIds.length > 0) {
        deps.logger.warn('Leads stalled in delivery; redeliver them', {
            count: leadIds.length,
            leadIds: leadIds.slice(0, MAX_IDS_LOGGED).join(','),
        });
    }
    return leadIds.length;
}

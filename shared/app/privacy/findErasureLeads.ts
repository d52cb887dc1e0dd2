import type { ErasureLog } from '../../ports/ErasureLog';
import type { FoundLeads, LeadEraser } from '../../ports/LeadEraser';
import type { FindLeadsInput } from './erasureTypes';

export interface FindErasureLeadsDeps {
    log: ErasureLog;
    leads: LeadEraser;
}

/**
 * One page of the person's leads: by the email's keys when the request gave an email; the lead ids it named are
 * added on the first page (a tombstone among them counts as erased before).
 */
export async function findErasureLeads(deps: FindErasureLeadsDeps, input: FindLeadsInput): Promise<FoundLeads> {
    const query = await deps.log.query(input.erasureId);
    if (query === undefined) throw new Error(`Erasure ${input.erasureId} has no query (finished or never begun)`);
    const found: FoundLeads =
        query.emailKey === undefined
            ? { live: [], erased: [] }
            : await deps.leads.findPage(
                  { emailKey: query.emailKey, emailHash: query.emailHash, offer: query.offer },
                  input.continuationToken,
              );
    if (input.first) {
        for (const leadId of query.leadIds) {
            const traces = await deps.leads.traces(leadId);
            if (traces === undefined) continue;
            (traces.tombstoned ? found.erased : found.live).push(leadId);
        }
    }
    return found;
}

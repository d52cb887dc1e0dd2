import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { type ClaimClock, leadView } from '../shared/app/leadView';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { LeadRepository } from '../shared/ports/LeadRepository';
import { listParkedLeads } from './listParkedLeads';

/** GET /api/leads/{leadId}: the stored lead with its decision, deliveries and history; 404 when unknown. */
export function createGetLead(
    deps: () => { leads: LeadRepository; now: () => Date; delivery: ClaimClock['delivery'] },
) {
    return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
        const leadId = request.params.leadId ?? '';
        // A router without literal-segment precedence would send `leads/parked` here; answer it as that route.
        if (leadId === 'parked') return listParkedLeads(request);
        const record = /^[A-Za-z0-9-]{1,100}$/u.test(leadId) ? await deps().leads.get(leadId) : undefined;
        if (record === undefined)
            return { status: 404, jsonBody: { error: { code: 'not-found', message: 'No such lead.' } } };
        const personKey = record.lead.personKey;
        const journey = personKey === undefined ? [] : await deps().leads.journey(personKey);
        // With the clock and policy, a delivery claim abandoned by a failed run shows as `stalled`, not in progress.
        const { now, delivery } = deps();
        return { status: 200, jsonBody: leadView(record, journey, { now: now(), delivery }) };
    };
}

export const getLead = createGetLead(() => {
    const d = getDeps();
    return { leads: d.leads, now: d.now, delivery: d.config.pipeline.delivery };
});

app.http(functionNames.getLead, { methods: ['GET'], authLevel: 'function', route: 'leads/{leadId}', handler: getLead });

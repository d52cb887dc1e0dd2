import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunMonitor } from '../shared/adapters/durable/createDurableRunMonitor';
import { abandonedClaims, type ClaimCheck } from '../shared/app/abandonedClaims';
import { contextLogger } from '../shared/app/contextLogger';
import { leadDetails } from '../shared/app/leadDetails';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { LeadRepository } from '../shared/ports/LeadRepository';
import { listParkedLeads } from './listParkedLeads';

export interface GetLeadDeps extends Pick<ClaimCheck, 'delivery' | 'runs'> {
    leads: LeadRepository;
    now: () => Date;
}

/** GET /api/leads/{leadId}: the stored lead with its decision, deliveries and history; 404 when unknown. */
export function createGetLead(deps: (context: InvocationContext) => GetLeadDeps) {
    return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        const leadId = request.params.leadId ?? '';
        // A router without literal-segment precedence would send `leads/parked` here; answer it as that route.
        if (leadId === 'parked') return listParkedLeads(request);
        const d = deps(context);
        const record = /^[A-Za-z0-9-]{1,100}$/u.test(leadId) ? await d.leads.get(leadId) : undefined;
        if (record === undefined)
            return { status: 404, jsonBody: { error: { code: 'not-found', message: 'No such lead.' } } };
        const personKey = record.lead.personKey;
        const journey = personKey === undefined ? [] : await d.leads.journey(personKey);
        // A delivery claim abandoned by a failed or terminated run shows as `stalled`, not as in progress.
        const abandoned = await abandonedClaims(record, {
            now: d.now(),
            delivery: d.delivery,
            runs: d.runs,
            logger: contextLogger(context),
        });
        return { status: 200, jsonBody: leadDetails(record, journey, abandoned) };
    };
}

export const getLead = createGetLead((context) => {
    const d = getDeps();
    return {
        leads: d.leads,
        now: d.now,
        delivery: d.config.pipeline.delivery,
        runs: createDurableRunMonitor(df.getClient(context)),
    };
});

app.http(functionNames.getLead, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'leads/{leadId}',
    extraInputs: [df.input.durableClient()],
    handler: getLead,
});

import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunMonitor } from '../shared/adapters/durable/createDurableRunMonitor';
import { abandonedClaims, type ClaimCheck } from '../shared/app/abandonedClaims';
import { contextLogger } from '../shared/app/contextLogger';
import { crmRecordUrl } from '../shared/app/crmRecordUrl';
import { notFound } from '../shared/app/errorResponse';
import { leadDetails } from '../shared/app/leadDetails';
import { listParked } from '../shared/app/listParked';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import type { LeadRepository } from '../shared/ports/LeadRepository';
import type { ParkedLeadStore } from '../shared/ports/ParkedLeadStore';

export interface GetLeadDeps extends Pick<ClaimCheck, 'delivery' | 'runs'> {
    leads: LeadRepository;
    now: () => Date;
    /** For `leads/parked` reaching this route (see below). */
    parked?: ParkedLeadStore;
    /** Where the CRM shows a delivered record, when the target's settings say (see `crmRecordUrl`). */
    recordUrl?: (target: string, externalId: string | undefined) => string | undefined;
}

/**
 * GET /api/leads/{leadId}: the stored lead with its contact, the customer's message, decision, deliveries and
 * history; 404 when unknown. Needs the read role.
 */
export function createGetLead(deps: (context: InvocationContext) => GetLeadDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest, context: InvocationContext) => {
        const leadId = request.params.leadId ?? '';
        const d = deps(context);
        // A router without literal-segment precedence would send `leads/parked` here; answer it as that route does.
        if (leadId === 'parked' && d.parked !== undefined) {
            const q = request.query;
            const page = await listParked(d.parked, {
                limit: q.get('limit'),
                continuationToken: q.get('continuationToken'),
            });
            return { status: 200, jsonBody: page };
        }
        const record = /^[A-Za-z0-9-]{1,100}$/u.test(leadId) ? await d.leads.get(leadId) : undefined;
        if (record === undefined) return notFound('No such lead.');
        const personKey = record.lead.personKey;
        const journey = personKey === undefined ? [] : await d.leads.journey(personKey);
        // A delivery claim abandoned by a failed or terminated run shows as `stalled`, not as in progress.
        const abandoned = await abandonedClaims(record, {
            now: d.now(),
            delivery: d.delivery,
            runs: d.runs,
            logger: contextLogger(context),
        });
        return { status: 200, jsonBody: leadDetails(record, journey, abandoned, d.recordUrl) };
    });
}

export const getLead = createGetLead((context) => {
    const d = getDeps();
    return {
        leads: d.leads,
        now: d.now,
        parked: d.parked,
        delivery: d.config.pipeline.delivery,
        runs: createDurableRunMonitor(df.getClient(context)),
        recordUrl: (target, externalId) =>
            crmRecordUrl(d.config.pipeline.targets[target], externalId, d.config.setting),
    };
});

operationsRoute(functionNames.getLead, {
    methods: ['GET'],
    route: 'api/leads/{leadId}',
    extraInputs: [df.input.durableClient()],
    handler: getLead,
});

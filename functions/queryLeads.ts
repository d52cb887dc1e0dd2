import type { HttpRequest } from '@azure/functions';

import { parseLeadListRequest } from '../shared/app/leadListRequest';
import { listLeads, type ListLeadsDeps } from '../shared/app/listLeads';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { readJsonBody } from '../shared/app/readJsonBody';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * POST /api/leads/query `{ status, since, until, grade, outcome, source, action, offer, channel, search, limit,
 * continuationToken }`: the lead list with a search by email or company. A POST, so the search never appears in a
 * URL, where the platform would log it. Needs the read role.
 */
export function createQueryLeads(deps: () => ListLeadsDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const body = await readJsonBody(request);
        if ('answer' in body) return body.answer;
        return { status: 200, jsonBody: await listLeads(deps(), parseLeadListRequest(body.value, 'body')) };
    });
}

export const queryLeads = createQueryLeads(() => {
    const d = getDeps();
    return { leads: d.leads, now: d.now, delivery: d.config.pipeline.delivery };
});

operationsRoute(functionNames.queryLeads, {
    methods: ['POST'],
    route: 'api/leads/query',
    handler: queryLeads,
});

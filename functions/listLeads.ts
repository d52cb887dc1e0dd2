import type { HttpRequest, InvocationContext } from '@azure/functions';

import { parseLeadListRequest } from '../shared/app/leadListRequest';
import { listLeads as listLeadsUseCase, type ListLeadsDeps } from '../shared/app/listLeads';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * GET /api/leads?status=&since=&until=&grade=&outcome=&source=&action=&offer=&channel=&limit=&continuationToken=:
 * recent leads, newest first. A search by email or company goes in the body of `POST /api/leads/query`.
 */
export function createListLeads(deps: () => ListLeadsDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest, _context?: InvocationContext) => {
        // `code` is the function key, read by the host.
        const { code: _key, ...fields } = Object.fromEntries(request.query.entries());
        const query = parseLeadListRequest(fields, 'query');
        return { status: 200, jsonBody: await listLeadsUseCase(deps(), query) };
    });
}

export const listLeads = createListLeads(() => {
    const d = getDeps();
    return { leads: d.leads, now: d.now, delivery: d.config.pipeline.delivery };
});

operationsRoute(functionNames.listLeads, {
    methods: ['GET'],
    route: 'api/leads',
    handler: listLeads,
});

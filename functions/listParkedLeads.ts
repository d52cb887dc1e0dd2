import type { HttpRequest } from '@azure/functions';

import { listParked } from '../shared/app/listParked';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import type { ParkedLeadStore } from '../shared/ports/ParkedLeadStore';

/** GET /api/leads/parked: lead events the starter could not process, newest first, with the reason. */
export function createListParkedLeads(deps: () => { parked: ParkedLeadStore }, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const q = request.query;
        const page = await listParked(deps().parked, {
            limit: q.get('limit'),
            continuationToken: q.get('continuationToken'),
        });
        return { status: 200, jsonBody: page };
    });
}

export const listParkedLeads = createListParkedLeads(getDeps);

operationsRoute(functionNames.listParkedLeads, {
    methods: ['GET'],
    route: 'api/leads/parked',
    handler: listParkedLeads,
});

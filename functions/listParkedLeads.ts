import { app, type HttpRequest } from '@azure/functions';

import { answeringErrors } from '../shared/app/errorResponse';
import { listParked } from '../shared/app/listParked';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { ParkedLeadStore } from '../shared/ports/ParkedLeadStore';

/** GET /api/leads/parked: lead events the starter could not process, newest first, with the reason. */
export function createListParkedLeads(deps: () => { parked: ParkedLeadStore }) {
    return answeringErrors(async (request: HttpRequest) => {
        const q = request.query;
        const page = await listParked(deps().parked, {
            limit: q.get('limit'),
            continuationToken: q.get('continuationToken'),
        });
        return { status: 200, jsonBody: page };
    });
}

export const listParkedLeads = createListParkedLeads(getDeps);

app.http(functionNames.listParkedLeads, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'leads/parked',
    handler: listParkedLeads,
});

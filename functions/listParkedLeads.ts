import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { ParkedLeadStore } from '../shared/ports/ParkedLeadStore';

/** GET /api/leads/parked: lead events the starter could not process, newest first, with the reason. */
export function createListParkedLeads(deps: () => { parked: ParkedLeadStore }) {
    return async (request: HttpRequest): Promise<HttpResponseInit> => {
        const limit = Math.min(Math.max(Number(request.query.get('limit') ?? '100') || 100, 1), 500);
        const page = await deps().parked.list(limit, request.query.get('continuationToken') ?? undefined);
        return { status: 200, jsonBody: page };
    };
}

export const listParkedLeads = createListParkedLeads(getDeps);

app.http(functionNames.listParkedLeads, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'leads/parked',
    handler: listParkedLeads,
});

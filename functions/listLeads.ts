import { app, type HttpRequest } from '@azure/functions';

import { answeringErrors, badRequest as bad } from '../shared/app/errorResponse';
import { listLeads as listLeadsUseCase, type ListLeadsDeps } from '../shared/app/listLeads';
import { getDeps } from '../shared/composition';
import { type ListedStatus, listedStatuses as statuses } from '../shared/domain/index';
import { functionNames } from '../shared/names';

/** GET /api/leads?status=&since=&limit=&continuationToken=: recent leads, newest first. */
export function createListLeads(deps: () => ListLeadsDeps) {
    return answeringErrors(async (request: HttpRequest) => {
        const q = request.query;
        const status = q.get('status') ?? undefined;
        if (status !== undefined && !statuses.includes(status as ListedStatus)) {
            return bad(`status must be one of ${statuses.join(', ')}`);
        }
        const sinceText = q.get('since');
        const since = sinceText === null ? undefined : new Date(sinceText);
        if (since !== undefined && Number.isNaN(since.getTime())) return bad('since must be an ISO date-time');
        const limit = Number(q.get('limit') ?? '50');
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) return bad('limit must be an integer from 1 to 500');
        const page = await listLeadsUseCase(deps(), {
            status: status as ListedStatus | undefined,
            since,
            limit,
            continuationToken: q.get('continuationToken') ?? undefined,
        });
        return { status: 200, jsonBody: page };
    });
}

export const listLeads = createListLeads(() => {
    const d = getDeps();
    return { leads: d.leads, now: d.now, delivery: d.config.pipeline.delivery };
});

app.http(functionNames.listLeads, { methods: ['GET'], authLevel: 'function', route: 'leads', handler: listLeads });

import type { HttpRequest } from '@azure/functions';

import { badRequest } from '../shared/app/errorResponse';
import { leadsOverview as overview, type LeadsOverviewDeps } from '../shared/app/leadsOverview';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * GET /api/overview?days=30: leads per day by source and action, grade mix, qualification outcomes, delivery
 * results per target and time from callback to CRM, for the last `days` days (1 to 366). Needs the read role.
 */
export function createLeadsOverview(deps: () => LeadsOverviewDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const days = Number(request.query.get('days') ?? '30');
        if (!Number.isInteger(days) || days < 1 || days > 366)
            return badRequest('days must be an integer from 1 to 366');
        return { status: 200, jsonBody: await overview(deps(), days) };
    });
}

export const leadsOverview = createLeadsOverview(getDeps);

operationsRoute(functionNames.leadsOverview, {
    methods: ['GET'],
    route: 'api/overview',
    handler: leadsOverview,
});

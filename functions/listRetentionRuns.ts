import type { HttpRequest } from '@azure/functions';

import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 400;

/** GET /api/privacy/retention-runs?limit=: the retention runs that removed something, newest first (counts only). */
export function createListRetentionRuns(log: () => Pick<ErasureLog, 'retentionRuns'>, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const limit = Math.min(
            Math.max(Number(request.query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1),
            MAX_LIMIT,
        );
        return { status: 200, jsonBody: { items: await log().retentionRuns(limit) } };
    });
}

export const listRetentionRuns = createListRetentionRuns(() => getDeps().privacy.log);

operationsRoute(functionNames.listRetentionRuns, {
    methods: ['GET'],
    route: 'api/privacy/retention-runs',
    handler: listRetentionRuns,
});

import type { HttpRequest } from '@azure/functions';

import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** GET /api/privacy/erasures?limit=&continuationToken=: the erasure audit, newest first. */
export function createListErasures(log: () => ErasureLog, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const limit = Math.min(
            Math.max(Number(request.query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1),
            MAX_LIMIT,
        );
        const token = request.query.get('continuationToken') ?? undefined;
        if (token !== undefined && !/^\d{1,9}$/u.test(token)) {
            return {
                status: 400,
                jsonBody: { error: { code: 'bad-request', message: 'Unknown continuation token.' } },
            };
        }
        return { status: 200, jsonBody: await log().list(limit, token) };
    });
}

export const listErasures = createListErasures(() => getDeps().privacy.log);

operationsRoute(functionNames.listErasures, {
    methods: ['GET'],
    route: 'api/privacy/erasures',
    handler: listErasures,
});

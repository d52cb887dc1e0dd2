import type { HttpRequest } from '@azure/functions';

import { notFound } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

/** GET /api/privacy/erasures/{erasureId}: where the erasure is, and its report (ids and counts only); 404 if unknown. */
export function createGetErasure(log: () => ErasureLog, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (request: HttpRequest) => {
        const erasureId = request.params.erasureId ?? '';
        const entry = /^er-[0-9TZ]{16}-[0-9a-f]{8}$/u.test(erasureId) ? await log().get(erasureId) : undefined;
        if (entry === undefined) return notFound('No such erasure.');
        return { status: 200, jsonBody: { ...entry.report, pendingRecords: entry.pending } };
    });
}

export const getErasure = createGetErasure(() => getDeps().privacy.log);

operationsRoute(functionNames.getErasure, {
    methods: ['GET'],
    route: 'api/privacy/erasures/{erasureId}',
    handler: getErasure,
});

import { app, type HttpRequest } from '@azure/functions';

import { privacyEndpoint } from '../shared/app/privacy/privacyEndpoint';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** GET /api/privacy/erasures?limit=&continuationToken=: the erasure audit, newest first. */
export function createListErasures(log: () => ErasureLog) {
    return privacyEndpoint(async (request: HttpRequest) => {
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

app.http(functionNames.listErasures, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'privacy/erasures',
    handler: listErasures,
});

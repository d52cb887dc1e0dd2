import { app, type HttpRequest } from '@azure/functions';

import { privacyEndpoint } from '../shared/app/privacy/privacyEndpoint';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 400;

/** GET /api/privacy/retention-runs?limit=: the retention runs that removed something, newest first (counts only). */
export function createListRetentionRuns(log: () => Pick<ErasureLog, 'retentionRuns'>) {
    return privacyEndpoint(async (request: HttpRequest) => {
        const limit = Math.min(
            Math.max(Number(request.query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1),
            MAX_LIMIT,
        );
        return { status: 200, jsonBody: { items: await log().retentionRuns(limit) } };
    });
}

export const listRetentionRuns = createListRetentionRuns(() => getDeps().privacy.log);

app.http(functionNames.listRetentionRuns, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'privacy/retention-runs',
    handler: listRetentionRuns,
});

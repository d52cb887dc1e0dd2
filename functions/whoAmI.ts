import type { HttpRequest } from '@azure/functions';

import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * GET /api/me: who the caller is to the operations API (access mode, roles, display name), so the console shows only
 * what the caller may do; the API enforces it regardless. Without a sign-in it answers 401 with where to sign in.
 */
export function createWhoAmI(access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (_request: HttpRequest, _context, caller) =>
        Promise.resolve({ status: 200, jsonBody: caller }),
    );
}

export const whoAmI = createWhoAmI();

operationsRoute(functionNames.whoAmI, {
    methods: ['GET'],
    route: 'api/me',
    handler: whoAmI,
});

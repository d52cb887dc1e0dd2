import type { HttpRequest, InvocationContext } from '@azure/functions';

import { checkTargetsHealth, type TargetsHealthDeps as UseCaseDeps } from '../shared/app/checkTargetsHealth';
import { contextLogger } from '../shared/app/contextLogger';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

export type TargetsHealthDeps = Omit<UseCaseDeps, 'logger'>;

/**
 * GET /api/targets/health: every target's credential check and expiry, disabled ones with the reason. 200 when
 * every enabled target is healthy, else 503.
 */
export function createTargetsHealth(deps: () => TargetsHealthDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async (_request: HttpRequest, context: InvocationContext) => {
        const report = await checkTargetsHealth({ ...deps(), logger: contextLogger(context) });
        return { status: report.ok ? 200 : 503, jsonBody: report };
    });
}

export const targetsHealth = createTargetsHealth(getDeps);

operationsRoute(functionNames.targetsHealth, {
    methods: ['GET'],
    route: 'api/targets/health',
    handler: targetsHealth,
});

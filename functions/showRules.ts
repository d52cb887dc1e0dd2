import type { HttpRequest } from '@azure/functions';

import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { AppConfig, OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * GET /api/rules: the active `pipeline.json` as the app loaded it (targets' options hold `%SETTING%` names, never
 * values) and whether each target is on, with the reason when it is off. Needs the read role.
 */
export function createShowRules(
    config: () => Pick<AppConfig, 'pipeline' | 'targetStates'>,
    access?: () => OperationsAccess,
) {
    return operationsEndpoint('read', access, async (_request: HttpRequest) => {
        const { pipeline, targetStates } = config();
        const targets = Object.fromEntries(
            Object.entries(targetStates).map(([name, s]) => [name, { enabled: s.enabled, reason: s.reason }]),
        );
        return Promise.resolve({ status: 200, jsonBody: { version: pipeline.version, pipeline, targets } });
    });
}

export const showRules = createShowRules(() => getDeps().config);

operationsRoute(functionNames.showRules, {
    methods: ['GET'],
    route: 'api/rules',
    handler: showRules,
});

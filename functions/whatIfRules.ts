import type { HttpRequest } from '@azure/functions';

import { badRequest, errorResponse } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { readJsonBody } from '../shared/app/readJsonBody';
import { MAX_WHAT_IF_LEADS, type WhatIfDeps, whatIfRules as whatIf } from '../shared/app/whatIfRules';
import { getDeps } from '../shared/composition';
import { availableTargetsOf, type OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * POST /api/rules/what-if `{ config, count }`: what a proposed `pipeline.json` would decide for the last `count`
 * stored leads (1 to 200), lead by lead, beside the active one; nothing is stored or delivered. 400
 * `invalid-config` with every problem when the proposal does not validate. Needs the operate role.
 */
export function createWhatIfRules(deps: () => WhatIfDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('operate', access, async (request: HttpRequest) => {
        const body = await readJsonBody(request);
        if ('answer' in body) return body.answer;
        const { config, count = 50 } = (typeof body.value === 'object' && body.value !== null ? body.value : {}) as {
            config?: unknown;
            count?: unknown;
        };
        if (config === undefined) return badRequest('config (the proposed pipeline.json) is required');
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_WHAT_IF_LEADS) {
            return badRequest(`count must be an integer from 1 to ${MAX_WHAT_IF_LEADS}`);
        }
        const result = await whatIf(deps(), config, count);
        if (result.kind === 'invalid-config') {
            return errorResponse(400, 'invalid-config', 'The proposed configuration is not valid.', {
                problems: result.problems,
            });
        }
        const { kind: _kind, ...answer } = result;
        return { status: 200, jsonBody: answer };
    });
}

export const whatIfRules = createWhatIfRules(() => {
    const d = getDeps();
    return { leads: d.leads, active: d.config.pipeline, availableTargets: (c) => availableTargetsOf(c) };
});

operationsRoute(functionNames.whatIfRules, {
    methods: ['POST'],
    route: 'api/rules/what-if',
    handler: whatIfRules,
});

import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableStarter } from '../shared/adapters/durable/createDurableStarter';
import { contextLogger } from '../shared/app/contextLogger';
import { errorResponse, notFound } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { erasureGraceSeconds } from '../shared/app/privacy/requestErasure';
import { retryErasure as retry, type RetryErasureDeps } from '../shared/app/privacy/retryErasure';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { targetErasurePolicyOf } from '../shared/domain/index';
import { functionNames } from '../shared/names';

/** POST /api/privacy/erasures/{erasureId}/retry: deletes again what a target refused; 409 when there is nothing to. */
export function createRetryErasure(
    deps: (context: InvocationContext) => Omit<RetryErasureDeps, 'logger'>,
    access?: () => OperationsAccess,
) {
    return operationsEndpoint('operate', access, async (request: HttpRequest, context: InvocationContext) => {
        const erasureId = request.params.erasureId ?? '';
        if (!/^er-[0-9TZ]{16}-[0-9a-f]{8}$/u.test(erasureId)) return notFound('No such erasure.');
        const result = await retry({ ...deps(context), logger: contextLogger(context) }, erasureId);
        if (result.kind === 'not-found') return notFound('No such erasure.');
        if (result.kind === 'not-retryable') return errorResponse(409, result.kind, result.message);
        return { status: 202, jsonBody: { erasureId, instanceId: result.instanceId, records: result.records } };
    });
}

export const retryErasure = createRetryErasure((context) => {
    const d = getDeps();
    const pipeline = d.config.pipeline;
    return {
        log: d.privacy.log,
        starter: createDurableStarter(df.getClient(context)),
        targets: targetErasurePolicyOf(pipeline.targets, d.privacy.policy.eraseInTargets, d.config.enabledTargets),
        retry: pipeline.delivery,
        graceSeconds: erasureGraceSeconds(pipeline),
    };
});

operationsRoute(functionNames.retryErasure, {
    methods: ['POST'],
    route: 'api/privacy/erasures/{erasureId}/retry',
    extraInputs: [df.input.durableClient()],
    handler: retryErasure,
});

import { randomBytes } from 'node:crypto';

import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableStarter } from '../shared/adapters/durable/createDurableStarter';
import { contextLogger } from '../shared/app/contextLogger';
import { errorResponse } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { MAX_PERSON_REQUEST_BYTES, parsePersonRequest } from '../shared/app/privacy/erasureRequest';
import { erasureGraceSeconds, requestErasure, type RequestErasureDeps } from '../shared/app/privacy/requestErasure';
import { readBoundedBody } from '../shared/app/readBoundedBody';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { targetErasurePolicyOf } from '../shared/domain/index';
import { functionNames } from '../shared/names';

/**
 * POST /api/privacy/erasures `{ email, offer?, leadIds?, marketplaceTable? }`: erases the person (GDPR art. 17).
 * 202 with the erasure id; `GET /api/privacy/erasures/{erasureId}` follows it. The email is used as its keys only.
 */
export function createErasePerson(
    deps: (context: InvocationContext) => Omit<RequestErasureDeps, 'logger'>,
    access?: () => OperationsAccess,
) {
    return operationsEndpoint('operate', access, async (request: HttpRequest, context: InvocationContext) => {
        const body = await readBoundedBody(
            request.body,
            request.headers.get('content-length'),
            MAX_PERSON_REQUEST_BYTES,
        );
        if (body === 'too-large') {
            return errorResponse(413, 'too-large', `The body is larger than ${MAX_PERSON_REQUEST_BYTES} bytes.`);
        }
        const report = await requestErasure(
            { ...deps(context), logger: contextLogger(context) },
            parsePersonRequest(body, false),
        );
        const statusUrl = `/api/privacy/erasures/${report.erasureId}`;
        return { status: 202, headers: { Location: statusUrl }, jsonBody: { ...report, statusUrl } };
    });
}

export const erasePerson = createErasePerson((context) => {
    const d = getDeps();
    const pipeline = d.config.pipeline;
    return {
        log: d.privacy.log,
        starter: createDurableStarter(df.getClient(context)),
        now: d.now,
        randomId: () => randomBytes(4).toString('hex'),
        targets: targetErasurePolicyOf(pipeline.targets, d.privacy.policy.eraseInTargets, d.config.enabledTargets),
        retry: pipeline.delivery,
        graceSeconds: erasureGraceSeconds(pipeline),
    };
});

operationsRoute(functionNames.erasePerson, {
    methods: ['POST'],
    route: 'api/privacy/erasures',
    extraInputs: [df.input.durableClient()],
    handler: erasePerson,
});

import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunMonitor } from '../shared/adapters/durable/createDurableRunMonitor';
import { createDurableStarter } from '../shared/adapters/durable/createDurableStarter';
import { contextLogger } from '../shared/app/contextLogger';
import { errorResponse, notFound } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { type RedeliveryDeps, requestRedelivery } from '../shared/app/requestRedelivery';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';
import { currentTraceCarrier } from '../shared/telemetry/withSpan';

/** POST /api/leads/{leadId}/redeliver[?target=]: delivery only, with the stored decision. Needs the operate role. */
export function createRedeliverLead(
    deps: (context: InvocationContext) => Omit<RedeliveryDeps, 'logger' | 'traceCarrier'>,
    access?: () => OperationsAccess,
) {
    return operationsEndpoint('operate', access, async (request: HttpRequest, context: InvocationContext) => {
        const result = await requestRedelivery(
            { ...deps(context), logger: contextLogger(context), traceCarrier: currentTraceCarrier },
            request.params.leadId ?? '',
            request.query.get('target') ?? undefined,
        );
        switch (result.kind) {
            case 'not-found':
                return notFound('No such lead.');
            case 'not-deliverable':
            case 'being-delivered':
                return errorResponse(409, result.kind, result.message);
            case 'started':
                return {
                    status: 202,
                    jsonBody: { leadId: request.params.leadId, instanceId: result.instanceId, targets: result.targets },
                };
        }
    });
}

export const redeliverLead = createRedeliverLead((context) => {
    const d = getDeps();
    const client = df.getClient(context);
    return {
        leads: d.leads,
        now: d.now,
        starter: createDurableStarter(client),
        runs: createDurableRunMonitor(client),
        delivery: d.config.pipeline.delivery,
        targets: { enabled: d.config.enabledTargets, deliverTo: d.config.pipeline.qualification.deliverTo },
    };
});

operationsRoute(functionNames.redeliverLead, {
    methods: ['POST'],
    route: 'api/leads/{leadId}/redeliver',
    extraInputs: [df.input.durableClient()],
    handler: redeliverLead,
});

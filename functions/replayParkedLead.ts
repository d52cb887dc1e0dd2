import type { HttpRequest, InvocationContext } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { notFound } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { type ReplayDeps, replayParkedLead as replay } from '../shared/app/replayParkedLead';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/** POST /api/leads/parked/{id}/replay: sends the parked event again under a new message id. Needs the operate role. */
export function createReplayParkedLead(deps: () => Omit<ReplayDeps, 'logger'>, access?: () => OperationsAccess) {
    return operationsEndpoint('operate', access, async (request: HttpRequest, context: InvocationContext) => {
        const parked = await replay({ ...deps(), logger: contextLogger(context) }, request.params.id ?? '');
        if (parked === undefined) {
            return notFound('No such parked lead.');
        }
        return { status: 202, jsonBody: parked };
    });
}

export const replayParkedLead = createReplayParkedLead(getDeps);

operationsRoute(functionNames.replayParkedLead, {
    methods: ['POST'],
    route: 'api/leads/parked/{id}/replay',
    handler: replayParkedLead,
});

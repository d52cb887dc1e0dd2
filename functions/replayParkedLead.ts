import { app, type HttpRequest, type InvocationContext } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { answeringErrors, notFound } from '../shared/app/errorResponse';
import { type ReplayDeps, replayParkedLead as replay } from '../shared/app/replayParkedLead';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';

/** POST /api/leads/parked/{id}/replay: sends the parked event to the queue again under a new message id. */
export function createReplayParkedLead(deps: () => Omit<ReplayDeps, 'logger'>) {
    return answeringErrors(async (request: HttpRequest, context: InvocationContext) => {
        const parked = await replay({ ...deps(), logger: contextLogger(context) }, request.params.id ?? '');
        if (parked === undefined) {
            return notFound('No such parked lead.');
        }
        return { status: 202, jsonBody: parked };
    });
}

export const replayParkedLead = createReplayParkedLead(getDeps);

app.http(functionNames.replayParkedLead, {
    methods: ['POST'],
    authLevel: 'function',
    route: 'leads/parked/{id}/replay',
    handler: replayParkedLead,
});

import { app } from '@azure/functions';

import { assignmentOverview } from '../shared/app/assignmentOverview';
import { answeringErrors } from '../shared/app/errorResponse';
import { getDeps } from '../shared/composition';
import type { AssignmentConfig } from '../shared/domain/index';
import { functionNames } from '../shared/names';
import type { AssignmentStore } from '../shared/ports/AssignmentStore';

export interface AssignmentOwnersDeps {
    assignments: AssignmentStore;
    config: AssignmentConfig | undefined;
    now: () => Date;
}

/** GET /api/assignment/owners: every owner's load today, queues, weight and cap, who is away; unattended leads. */
export function createAssignmentOwners(deps: () => AssignmentOwnersDeps) {
    return answeringErrors(async () => {
        const d = deps();
        return { status: 200, jsonBody: await assignmentOverview(d.assignments, d.config, d.now()) };
    });
}

export const assignmentOwners = createAssignmentOwners(() => {
    const d = getDeps();
    return { assignments: d.assignments, config: d.config.pipeline.assignment, now: d.now };
});

app.http(functionNames.assignmentOwners, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'assignment/owners',
    handler: assignmentOwners,
});

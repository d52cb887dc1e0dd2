import { assignmentOverview } from '../shared/app/assignmentOverview';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import type { AssignmentConfig } from '../shared/domain/index';
import { functionNames } from '../shared/names';
import type { AssignmentStore } from '../shared/ports/AssignmentStore';

export interface AssignmentOwnersDeps {
    assignments: AssignmentStore;
    config: AssignmentConfig | undefined;
    now: () => Date;
}

/** GET /api/assignment/owners: every owner's load today, queues, weight and cap, who is away; unattended leads. */
export function createAssignmentOwners(deps: () => AssignmentOwnersDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('read', access, async () => {
        const d = deps();
        return { status: 200, jsonBody: await assignmentOverview(d.assignments, d.config, d.now()) };
    });
}

export const assignmentOwners = createAssignmentOwners(() => {
    const d = getDeps();
    return { assignments: d.assignments, config: d.config.pipeline.assignment, now: d.now };
});

operationsRoute(functionNames.assignmentOwners, {
    methods: ['GET'],
    route: 'api/assignment/owners',
    handler: assignmentOwners,
});

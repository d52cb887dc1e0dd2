import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';

import { errorResponse, notFound } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import type { AssignmentConfig } from '../shared/domain/index';
import { functionNames } from '../shared/names';
import type { AssignmentStore } from '../shared/ports/AssignmentStore';

export interface SetOutOfOfficeDeps {
    assignments: AssignmentStore;
    config: AssignmentConfig | undefined;
    now: () => Date;
}

const body = z.strictObject({
    outOfOffice: z.boolean(),
    /** When they are back (ISO time); absent: until cleared. */
    until: z.iso.datetime({ offset: true }).optional(),
});

const MAX_BODY_CHARS = 1024;

/**
 * PUT /api/assignment/owners/{personId}/out-of-office `{ outOfOffice, until? }`: an operator marks a person away (no
 * new leads, no reassignment to them) or back. Answers the person's mark as stored.
 */
export function createSetOutOfOffice(deps: () => SetOutOfOfficeDeps, access?: () => OperationsAccess) {
    return operationsEndpoint('operate', access, async (request: HttpRequest) => {
        const d = deps();
        const personId = request.params.personId ?? '';
        if (d.config?.people[personId] === undefined) return notFound('No such person in assignment.people.');
        const text = await request.text();
        if (text.length > MAX_BODY_CHARS) return errorResponse(413, 'too-large', 'The body is too large.');
        let parsed;
        try {
            parsed = body.safeParse(JSON.parse(text));
        } catch {
            return errorResponse(400, 'invalid-body', 'The body is not JSON.');
        }
        if (!parsed.success)
            return errorResponse(400, 'invalid-body', 'Send { "outOfOffice": true|false, "until"?: ISO time }.');
        const since = d.now().toISOString();
        const state = await d.assignments.setOutOfOffice(
            personId,
            parsed.data.outOfOffice
                ? { since, ...(parsed.data.until === undefined ? {} : { until: parsed.data.until }) }
                : undefined,
        );
        return { status: 200, jsonBody: { personId, outOfOffice: state.outOfOffice[personId] ?? null } };
    });
}

export const setOutOfOffice = createSetOutOfOffice(() => {
    const d = getDeps();
    return { assignments: d.assignments, config: d.config.pipeline.assignment, now: d.now };
});

operationsRoute(functionNames.setOutOfOffice, {
    methods: ['PUT'],
    route: 'api/assignment/owners/{personId}/out-of-office',
    handler: setOutOfOffice,
});

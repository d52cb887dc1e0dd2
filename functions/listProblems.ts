import type { HttpRequest, InvocationContext } from '@azure/functions';

import { checkTargetsHealth, type TargetsHealthReport } from '../shared/app/checkTargetsHealth';
import { contextLogger } from '../shared/app/contextLogger';
import { listProblems as problems, type ProblemsDeps } from '../shared/app/listProblems';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * GET /api/problems: what needs the publisher (parked events, bodies that were not a lead, stalled and failed
 * deliveries, unhealthy targets, expiring credentials) with `needsAttention` for the console's first screen. Needs
 * the read role.
 */
export function createListProblems(
    deps: (context: InvocationContext) => ProblemsDeps,
    access?: () => OperationsAccess,
) {
    return operationsEndpoint('read', access, async (_request: HttpRequest, context: InvocationContext) => ({
        status: 200,
        jsonBody: await problems(deps(context)),
    }));
}

/** The health check calls every target; the console's first screen asks often, so a result is reused briefly. */
const HEALTH_REUSE_MS = 60_000;
let lastHealth: { at: number; report: Promise<TargetsHealthReport> } | undefined;

export const listProblems = createListProblems((context) => {
    const d = getDeps();
    return {
        leads: d.leads,
        now: d.now,
        delivery: d.config.pipeline.delivery,
        parked: d.parked,
        invalidPayloads: d.invalidPayloads,
        assignments: d.assignments,
        targetsHealth: () => {
            if (lastHealth === undefined || Date.now() - lastHealth.at > HEALTH_REUSE_MS) {
                const report = checkTargetsHealth({ ...d, logger: contextLogger(context) });
                lastHealth = { at: Date.now(), report };
                report.catch(() => (lastHealth = undefined));
            }
            return lastHealth.report;
        },
    };
});

operationsRoute(functionNames.listProblems, {
    methods: ['GET'],
    route: 'api/problems',
    handler: listProblems,
});

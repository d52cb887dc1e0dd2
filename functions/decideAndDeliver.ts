import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { decideAndDeliver, type DecideAndDeliverDeps } from '../shared/app/decideAndDeliver';
import type { DecideAndDeliverActivityInput, FirstPass } from '../shared/app/pipelineTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { Logger } from '../shared/ports/Logger';
import { contextFromCarrier, withParent } from '../shared/telemetry/withSpan';

export interface DecideAndDeliverActivityDeps extends Omit<DecideAndDeliverDeps, 'logger' | 'target'> {
    target(name: string, logger: Logger): ReturnType<DecideAndDeliverDeps['target']>;
}

export function createDecideAndDeliverActivity(deps: () => DecideAndDeliverActivityDeps) {
    return async (input: unknown, context: InvocationContext): Promise<FirstPass> => {
        const { leadId, now, runId, trace } = input as DecideAndDeliverActivityInput;
        const logger = contextLogger(context);
        const d = deps();
        // Its spans (lead.decide, lead.deliver per call, lead.record_outcome) continue the lead's trace.
        return withParent(contextFromCarrier(trace), () =>
            decideAndDeliver(
                { ...d, logger, target: (name) => d.target(name, logger) },
                { leadId, now: new Date(now), runId },
            ),
        );
    };
}

export const decideAndDeliverActivity = createDecideAndDeliverActivity(() => {
    const d = getDeps();
    return {
        leads: d.leads,
        config: d.config.pipeline,
        enabledTargets: d.config.enabledTargets,
        target: (name, logger) => d.target(name, logger),
        now: () => d.now(),
        gate: d.gate,
        assignments: d.assignments,
        ...(d.ackLinks === undefined ? {} : { ackLinks: d.ackLinks }),
    };
});

df.app.activity(durableNames.decideAndDeliver, { handler: decideAndDeliverActivity });

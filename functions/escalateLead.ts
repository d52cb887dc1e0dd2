import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { escalateLead, type EscalateLeadDeps } from '../shared/app/escalateLead';
import type { EscalateActivityInput, EscalationResult } from '../shared/app/pipelineTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { Logger } from '../shared/ports/Logger';
import { contextFromCarrier, withParent } from '../shared/telemetry/withSpan';

export interface EscalateLeadActivityDeps extends Omit<EscalateLeadDeps, 'logger' | 'target'> {
    target(name: string, logger: Logger): ReturnType<EscalateLeadDeps['target']>;
}

export function createEscalateLeadActivity(deps: () => EscalateLeadActivityDeps) {
    return async (input: unknown, context: InvocationContext): Promise<EscalationResult> => {
        const { leadId, round, now, trace } = input as EscalateActivityInput;
        const logger = contextLogger(context);
        const d = deps();
        return withParent(contextFromCarrier(trace), () =>
            escalateLead(
                { ...d, logger, target: (name) => d.target(name, logger) },
                { leadId, round, now: new Date(now) },
            ),
        );
    };
}

export const escalateLeadActivity = createEscalateLeadActivity(() => {
    const d = getDeps();
    return {
        leads: d.leads,
        assignments: d.assignments,
        config: d.config.pipeline,
        enabledTargets: d.config.enabledTargets,
        target: (name, logger) => d.target(name, logger),
        now: () => d.now(),
    };
});

df.app.activity(durableNames.escalateLead, { handler: escalateLeadActivity });

import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { decideLead, type DecideLeadDeps } from '../shared/app/decideLead';
import type { DecideActivityInput, DecisionPlan } from '../shared/app/pipelineTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import { contextFromCarrier, SpanKind, withSpan } from '../shared/telemetry/withSpan';

export function createDecideLeadActivity(deps: () => Omit<DecideLeadDeps, 'logger'>) {
    return async (input: unknown, context: InvocationContext): Promise<DecisionPlan> => {
        const { leadId, now, runId, trace } = input as DecideActivityInput;
        return withSpan(
            'lead.decide',
            { 'lead.id': leadId },
            () => decideLead({ ...deps(), logger: contextLogger(context) }, leadId, new Date(now), runId),
            { kind: SpanKind.INTERNAL, parent: contextFromCarrier(trace) },
        );
    };
}

export const decideLeadActivity = createDecideLeadActivity(() => {
    const d = getDeps();
    return { leads: d.leads, config: d.config.pipeline, enabledTargets: d.config.enabledTargets };
});

df.app.activity(durableNames.decideLead, { handler: decideLeadActivity });

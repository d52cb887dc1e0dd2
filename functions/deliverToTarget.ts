import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { deliverEscalation } from '../shared/app/deliverEscalation';
import { type DeliverDeps, deliverToTarget } from '../shared/app/deliverToTarget';
import type { DeliverAttemptInput, DeliverAttemptResult } from '../shared/app/pipelineTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { Logger } from '../shared/ports/Logger';
import { contextFromCarrier, SpanKind, withSpan } from '../shared/telemetry/withSpan';

export interface DeliverActivityDeps extends Omit<DeliverDeps, 'logger' | 'target'> {
    target(name: string, logger: Logger): ReturnType<DeliverDeps['target']>;
}

export function createDeliverToTargetActivity(deps: () => DeliverActivityDeps) {
    return async (input: unknown, context: InvocationContext): Promise<DeliverAttemptResult> => {
        const request = input as DeliverAttemptInput;
        const logger = contextLogger(context);
        const d = deps();
        return withSpan(
            'lead.deliver',
            {
                'lead.id': request.leadId,
                'target.name': request.target,
                'delivery.attempt': request.attempt,
                ...(request.escalation === undefined ? {} : { 'sla.round': request.escalation.round }),
            },
            () => {
                const made = { ...d, logger, target: (name: string) => d.target(name, logger) };
                // An escalation's message or owner write: the same attempt, recorded on the SLA row.
                return request.escalation === undefined
                    ? deliverToTarget(made, request)
                    : deliverEscalation(made, { ...request, escalation: request.escalation });
            },
            { kind: SpanKind.CLIENT, parent: contextFromCarrier(request.trace) },
        );
    };
}

export const deliverToTargetActivity = createDeliverToTargetActivity(() => {
    const d = getDeps();
    return {
        leads: d.leads,
        target: (name, logger) => d.target(name, logger),
        now: () => d.now(),
        ...(d.gate === undefined ? {} : { gate: d.gate }),
        ...(d.ackLinks === undefined ? {} : { ackLinks: d.ackLinks }),
        ...(d.config.pipeline.assignment?.ackLinkHours === undefined
            ? {}
            : { ackLinkHours: d.config.pipeline.assignment.ackLinkHours }),
    };
});

df.app.activity(durableNames.deliverToTarget, { handler: deliverToTargetActivity });

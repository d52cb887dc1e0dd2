import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
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
            { 'lead.id': request.leadId, 'target.name': request.target, 'delivery.attempt': request.attempt },
            () => deliverToTarget({ ...d, logger, target: (name) => d.target(name, logger) }, request),
            { kind: SpanKind.CLIENT, parent: contextFromCarrier(request.trace) },
        );
    };
}

export const deliverToTargetActivity = createDeliverToTargetActivity(getDeps);

df.app.activity(durableNames.deliverToTarget, { handler: deliverToTargetActivity });

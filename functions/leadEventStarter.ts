import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableStarter } from '../shared/adapters/durable/createDurableStarter';
import { contextLogger } from '../shared/app/contextLogger';
import { messageProperties } from '../shared/app/messageProperties';
import { startPipeline } from '../shared/app/startPipeline';
import { getConfig } from '../shared/config';
import { defaults, functionNames, settingNames } from '../shared/names';
import type { OrchestrationStarter } from '../shared/ports/OrchestrationStarter';
import { contextFromCarrier, currentTraceCarrier, SpanKind, withSpan } from '../shared/telemetry/withSpan';

const spanName = 'lead.start_pipeline';

/**
 * Lead event → the lead's orchestration. Throwing abandons the message; after the queue's max delivery count it is
 * dead-lettered and parked by `leadEventDeadLetter`. `queueName` is the queue the trigger reads (for the span).
 */
export function createLeadEventStarter(
    starterFor: (context: InvocationContext) => OrchestrationStarter,
    queueName: () => string = () => defaults.leadEventsQueue,
) {
    return async (message: unknown, context: InvocationContext): Promise<void> => {
        const logger = contextLogger(context);
        const parent = contextFromCarrier(messageProperties(context));
        await withSpan(
            spanName,
            {
                // OpenTelemetry messaging conventions (both the older and the current operation key).
                'messaging.system': 'servicebus',
                'messaging.destination.name': queueName(),
                'messaging.operation': 'process',
                'messaging.operation.type': 'process',
                'messaging.message.id':
                    typeof context.triggerMetadata?.messageId === 'string' ? context.triggerMetadata.messageId : '',
                // The Azure Monitor exporter (1.0.0-beta.40) names a request only for SERVER spans or from this
                // attribute; without it this CONSUMER span reaches Application Insights as an unnamed request.
                'ai.operation.name': spanName,
            },
            async () => {
                await startPipeline({ starter: starterFor(context), logger }, message, currentTraceCarrier());
            },
            { kind: SpanKind.CONSUMER, parent },
        );
    };
}

export const leadEventStarter = createLeadEventStarter(
    (context) => createDurableStarter(df.getClient(context)),
    () => getConfig().leadEventsQueue,
);

app.serviceBusQueue(functionNames.leadEventStarter, {
    connection: settingNames.serviceBus,
    queueName: `%${settingNames.leadEventsQueue}%`,
    extraInputs: [df.input.durableClient()],
    handler: leadEventStarter,
});

import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableStarter } from '../shared/adapters/durable/createDurableStarter';
import { contextLogger } from '../shared/app/contextLogger';
import { messageProperties } from '../shared/app/messageProperties';
import { startPipeline } from '../shared/app/startPipeline';
import { functionNames, settingNames } from '../shared/names';
import type { OrchestrationStarter } from '../shared/ports/OrchestrationStarter';
import { contextFromCarrier, currentTraceCarrier, SpanKind, withSpan } from '../shared/telemetry';

/**
 * Lead event → the lead's orchestration. Throwing abandons the message; after the queue's max delivery count it is
 * dead-lettered and parked by `leadEventDeadLetter`.
 */
export function createLeadEventStarter(starterFor: (context: InvocationContext) => OrchestrationStarter) {
    return async (message: unknown, context: InvocationContext): Promise<void> => {
        const logger = contextLogger(context);
        const parent = contextFromCarrier(messageProperties(context));
        await withSpan(
            'lead.start_pipeline',
            {
                'messaging.message.id':
                    typeof context.triggerMetadata?.messageId === 'string' ? context.triggerMetadata.messageId : '',
            },
            async () => {
                await startPipeline({ starter: starterFor(context), logger }, message, currentTraceCarrier());
            },
            { kind: SpanKind.CONSUMER, parent },
        );
    };
}

export const leadEventStarter = createLeadEventStarter((context) => createDurableStarter(df.getClient(context)));

app.serviceBusQueue(functionNames.leadEventStarter, {
    connection: settingNames.serviceBus,
    queueName: `%${settingNames.leadEventsQueue}%`,
    extraInputs: [df.input.durableClient()],
    handler: leadEventStarter,
});

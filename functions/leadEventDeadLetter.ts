import { app, type InvocationContext } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { messageProperties } from '../shared/app/messageProperties';
import { type ParkDeps, parkLeadEvent } from '../shared/app/parkLeadEvent';
import { getDeps } from '../shared/composition';
import { functionNames, settingNames } from '../shared/names';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Records every dead-lettered lead event as a parked lead, with the reason, for the operations API. */
export function createLeadEventDeadLetter(deps: () => Omit<ParkDeps, 'logger'>) {
    return async (message: unknown, context: InvocationContext): Promise<void> => {
        const m = context.triggerMetadata ?? {};
        const delivery = m.deliveryCount;
        const enqueued = m.enqueuedTimeUtc;
        await parkLeadEvent(
            { ...deps(), logger: contextLogger(context) },
            {
                body: message,
                messageId: text(m.messageId),
                deadLetterReason: text(m.deadLetterReason) ?? text(messageProperties(context).DeadLetterReason),
                deadLetterErrorDescription:
                    text(m.deadLetterErrorDescription) ?? text(messageProperties(context).DeadLetterErrorDescription),
                deliveryCount: typeof delivery === 'number' ? delivery : undefined,
                enqueuedTimeUtc: enqueued instanceof Date ? enqueued.toISOString() : text(enqueued),
                applicationProperties: messageProperties(context),
            },
        );
    };
}

export const leadEventDeadLetter = createLeadEventDeadLetter(getDeps);

app.serviceBusQueue(functionNames.leadEventDeadLetter, {
    connection: settingNames.serviceBus,
    queueName: `%${settingNames.leadEventsQueue}%/$deadletterqueue`,
    handler: leadEventDeadLetter,
});

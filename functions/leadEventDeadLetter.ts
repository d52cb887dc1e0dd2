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
        // The broker puts the reason in application properties; the worker camel-cases their first letter.
        const props = messageProperties(context);
        const property = (name: string) =>
            text(props[name]) ?? text(props[name.charAt(0).toLowerCase() + name.slice(1)]);
        await parkLeadEvent(
            { ...deps(), logger: contextLogger(context) },
            {
                body: message,
                messageId: text(m.messageId),
                deadLetterReason: text(m.deadLetterReason) ?? property('DeadLetterReason'),
                deadLetterErrorDescription:
                    text(m.deadLetterErrorDescription) ?? property('DeadLetterErrorDescription'),
                deliveryCount: typeof delivery === 'number' ? delivery : undefined,
                enqueuedTimeUtc: enqueued instanceof Date ? enqueued.toISOString() : text(enqueued),
                applicationProperties: props,
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

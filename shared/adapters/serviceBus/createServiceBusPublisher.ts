/* eslint-disable @typescript-eslint/no-require-imports -- the SDK loads with the first send, not with the app */
import type { TokenCredential } from '@azure/identity';
import type * as ServiceBus from '@azure/service-bus';
import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';

import type { LeadPublisher } from '../../ports/LeadPublisher';

export type ServiceBusConnection =
    { connectionString: string } | { fullyQualifiedNamespace: string; credential: TokenCredential };

/**
 * Sends lead events with the Service Bus SDK (not an output binding) so the message id can be set: the queue's
 * duplicate detection then drops a second event for the same lead. One client and sender per worker, made (and the
 * SDK loaded) at the first send.
 */
export function createServiceBusPublisher(
    connection: ServiceBusConnection,
    queueName: string,
): LeadPublisher & { close(): Promise<void> } {
    let client: ServiceBusClient | undefined;
    let sender: ServiceBusSender | undefined;
    const getSender = () => {
        const { ServiceBusClient: Client } = require('@azure/service-bus') as typeof ServiceBus;
        client ??=
            'connectionString' in connection
                ? new Client(connection.connectionString)
                : new Client(connection.fullyQualifiedNamespace, connection.credential);
        sender ??= client.createSender(queueName);
        return sender;
    };
    return {
        async publish(body, options) {
            await getSender().sendMessages({
                body,
                contentType: 'application/json',
                messageId: options.messageId,
                correlationId: typeof options.properties.leadId === 'string' ? options.properties.leadId : undefined,
                applicationProperties: options.properties,
            });
        },
        async close() {
            await sender?.close();
            await client?.close();
            sender = undefined;
            client = undefined;
        },
    };
}

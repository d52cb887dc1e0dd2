import { type LockedMessage } from './messageStore';

/** `DateTimeOffset.MaxValue`, what the real extension reports for a message without time to live. */
const neverExpires = '9999-12-31T23:59:59.9999999Z';

/**
 * `context.triggerMetadata` of a Service Bus trigger as the Node worker delivers it: the binding data keys of the
 * WebJobs extension (`ServiceBusTriggerBindingStrategy`), camel-cased recursively (first letter only), dates as strings.
 */
export function triggerMetadata(message: LockedMessage): Record<string, unknown> {
    const e = message.envelope;
    const properties = lowerFirstKeys(e.applicationProperties) as Record<string, unknown>;
    const metadata: Record<string, unknown> = {
        deliveryCount: message.deliveryCount,
        deadLetterSource: e.deadLetterSource,
        lockToken: message.lockToken,
        expiresAtUtc: e.expiresAtUtc ?? neverExpires,
        expiresAt: e.expiresAtUtc ?? neverExpires,
        enqueuedTimeUtc: e.enqueuedTimeUtc,
        enqueuedTime: e.enqueuedTimeUtc,
        messageId: e.messageId,
        contentType: e.contentType,
        replyTo: e.replyTo,
        sequenceNumber: e.sequenceNumber,
        to: e.to,
        subject: e.subject,
        label: e.subject,
        correlationId: e.correlationId,
        applicationProperties: properties,
        userProperties: properties,
        sessionId: e.sessionId,
        replyToSessionId: e.replyToSessionId,
        partitionKey: e.partitionKey,
    };
    return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

/** `cardinality: 'many'`: every key becomes `<key>Array`, one entry per message, as the extension's batch binding data. */
export function batchTriggerMetadata(messages: LockedMessage[]): Record<string, unknown> {
    const singles = messages.map(triggerMetadata);
    const keys = new Set(singles.flatMap((single) => Object.keys(single)));
    return Object.fromEntries([...keys].map((key) => [`${key}Array`, singles.map((single) => single[key] ?? null)]));
}

/** The worker's `toCamelCaseValue`: lower-cases the first letter of every key, at every depth. */
export function lowerFirstKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(lowerFirstKeys);
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(
            Object.entries(value).map(([key, inner]) => [
                key.charAt(0).toLowerCase() + key.slice(1),
                lowerFirstKeys(inner),
            ]),
        );
    }
    return value;
}

import { type NewMessage, type SbEnvelope, toJsonSafe } from './envelope';
import { type EntitySettings } from './serviceBusConfig';

export interface Stamped {
    envelope: SbEnvelope;
    /** When the message becomes visible, for a schedule in the future. */
    visibleAt?: Date;
}

/**
 * What the broker adds to a sent message: sequence number, enqueued time (the scheduled time for a scheduled
 * message), expiry from the message's TTL or the entity default.
 */
export function stampEnvelope(
    message: NewMessage & { messageId: string },
    settings: EntitySettings,
    sequenceNumber: number,
    now: number,
): Stamped {
    const scheduledAt = message.scheduledEnqueueTimeUtc?.getTime();
    const visibleAt = scheduledAt !== undefined && scheduledAt > now ? new Date(scheduledAt) : undefined;
    const enqueued = visibleAt?.getTime() ?? now;
    const ttlMs = message.timeToLiveMs ?? (settings.defaultMessageTimeToLiveSeconds ?? 0) * 1000;
    const envelope: SbEnvelope = {
        v: 1,
        messageId: message.messageId,
        correlationId: message.correlationId,
        contentType: message.contentType,
        subject: message.subject,
        to: message.to,
        replyTo: message.replyTo,
        replyToSessionId: message.replyToSessionId,
        sessionId: message.sessionId,
        partitionKey: message.partitionKey,
        applicationProperties: (toJsonSafe(message.applicationProperties ?? {}) ?? {}) as Record<string, unknown>,
        enqueuedTimeUtc: new Date(enqueued).toISOString(),
        sequenceNumber,
        expiresAtUtc: ttlMs > 0 ? new Date(enqueued + ttlMs).toISOString() : undefined,
        scheduledEnqueueTimeUtc: visibleAt?.toISOString(),
        deliveryOffset: 0,
    };
    return { envelope, visibleAt };
}

import { randomUUID } from 'node:crypto';

import { type HostLogger } from '../contracts';
import { type DuplicateDetector } from './duplicateDetector';
import { deadLetterOf, type EntityPath, parseEntityPath, subscriptionPath } from './entityPath';
import { type NewMessage, type SbEnvelope } from './envelope';
import { type LockedMessage, type MessageStore } from './messageStore';
import { type ScheduledCopy, type ScheduledIndex } from './scheduledIndex';
import {
    declaredSubscriptions,
    type EntitySettings,
    entitySettings,
    sendSettings,
    type ServiceBusConfig,
} from './serviceBusConfig';
import { stampEnvelope } from './stampEnvelope';

export const maxDeliveryCountExceeded = 'MaxDeliveryCountExceeded';
export const ttlExpired = 'TTLExpiredException';
const sendParallelism = 8;

/**
 * The Service Bus rules on top of the storage: topics fan out to their subscriptions, duplicate detection, TTL,
 * scheduling, delivery count limits and dead-lettering. Entity settings come from the local config.
 */
export class ServiceBusBroker {
    private readonly topics = new Map<string, { name: string; subscriptions: Map<string, string> }>();

    constructor(
        readonly store: MessageStore,
        private readonly duplicates: DuplicateDetector,
        private readonly scheduled: ScheduledIndex,
        private readonly config: ServiceBusConfig,
        private readonly logger?: HostLogger,
    ) {
        for (const topic of Object.keys(config.topics)) {
            for (const sub of declaredSubscriptions(config, topic)) this.addSubscription(topic, sub);
        }
    }

    /** A trigger on a subscription creates it, as deploying the app's infrastructure would. */
    addSubscription(topic: string, subscription: string): void {
        const key = topic.toLowerCase();
        const entry = this.topics.get(key) ?? { name: topic, subscriptions: new Map<string, string>() };
        entry.subscriptions.set(subscription.toLowerCase(), subscription);
        this.topics.set(key, entry);
    }

    isTopic(name: string): boolean {
        return this.topics.has(name.toLowerCase()) || this.configuredTopic(name);
    }

    settingsOf(entity: EntityPath): EntitySettings {
        return entitySettings(this.config, entity.entity, entity.subscription);
    }

    /** Sends to a queue or topic; returns one sequence number per message (duplicates included, as the broker does). */
    async send(entityName: string, messages: NewMessage[]): Promise<number[]> {
        const target = parseEntityPath(entityName);
        if (target.deadLetter || target.subscription !== undefined) {
            throw new Error(`Cannot send to ${entityName}: only queues and topics accept messages`);
        }
        const settings = sendSettings(this.config, target.entity);
        // A batch is stored a few messages at a time: storage round trips dominate, and Service Bus does not promise
        // order across the messages of one batch without sessions either.
        const sequenceNumbers: number[] = new Array<number>(messages.length);
        let next = 0;
        const worker = async (): Promise<void> => {
            while (next < messages.length) {
                const index = next++;
                sequenceNumbers[index] = await this.sendOne(target.entity, settings, messages[index]!);
            }
        };
        await Promise.all(Array.from({ length: Math.min(sendParallelism, messages.length) }, worker));
        return sequenceNumbers;
    }

    private async sendOne(entity: string, settings: EntitySettings, message: NewMessage): Promise<number> {
        const messageId = message.messageId ?? randomUUID().replace(/-/g, '');
        const sequenceNumber = this.store.nextSequenceNumber();
        if (settings.requiresDuplicateDetection) {
            const fresh = await this.duplicates.claim(entity, messageId, settings.duplicateDetectionWindowSeconds);
            if (!fresh) {
                this.logger?.info('serviceBus duplicate message dropped (duplicate detection)', {
                    entity,
                    messageId,
                    windowSeconds: settings.duplicateDetectionWindowSeconds,
                });
                return sequenceNumber;
            }
        }
        try {
            const { envelope, visibleAt } = stampEnvelope(
                { ...message, messageId },
                settings,
                sequenceNumber,
                Date.now(),
            );
            const copies: ScheduledCopy[] = [];
            for (const path of this.targetsOf(entity)) {
                const receipt = await this.store.enqueue(path, envelope, message.body, visibleAt);
                copies.push({ path: path.path, ...receipt });
            }
            if (visibleAt && copies.length > 0) await this.scheduled.record(entity, sequenceNumber, copies);
            return sequenceNumber;
        } catch (error) {
            if (settings.requiresDuplicateDetection) await this.duplicates.release(entity, messageId);
            throw error;
        }
    }

    /** Cancels scheduled messages; unknown or already enqueued sequence numbers fail as in Service Bus. */
    async cancelScheduled(entityName: string, sequenceNumbers: number[]): Promise<void> {
        const entity = parseEntityPath(entityName).entity;
        for (const sequenceNumber of sequenceNumbers) {
            const copies = await this.scheduled.take(entity, sequenceNumber);
            if (!copies) throw new Error(`No scheduled message with sequence number ${sequenceNumber}`);
            for (const copy of copies) await this.store.remove(parseEntityPath(copy.path), copy);
        }
    }

    /** Receives under peek-lock, dead-lettering what exceeded its delivery count and expiring what outlived its TTL. */
    async receive(entity: EntityPath, max: number): Promise<LockedMessage[]> {
        const settings = this.settingsOf(entity);
        const received = await this.store.receive(entity, max, settings.lockDurationSeconds);
        const deliverable: LockedMessage[] = [];
        for (const message of received) {
            const expiresAt = message.envelope.expiresAtUtc ? Date.parse(message.envelope.expiresAtUtc) : Infinity;
            if (!entity.deadLetter && expiresAt <= Date.now()) {
                if (settings.deadLetteringOnMessageExpiration) {
                    await this.deadLetter(message, ttlExpired, 'The message expired and was dead lettered.');
                } else {
                    await this.store.complete(message);
                }
            } else if (!entity.deadLetter && message.deliveryCount > settings.maxDeliveryCount) {
                await this.deadLetter(message, maxDeliveryCountExceeded, exceededDescription(settings));
            } else {
                if (message.envelope.scheduledEnqueueTimeUtc && message.deliveryCount === 1) {
                    // Enqueued now: it can no longer be cancelled, so its index entry goes.
                    await this.scheduled.take(entity.entity, message.envelope.sequenceNumber).catch(() => undefined);
                }
                deliverable.push(message);
            }
        }
        return deliverable;
    }

    async complete(message: LockedMessage): Promise<void> {
        await this.store.complete(message);
    }

    async renewLock(message: LockedMessage): Promise<void> {
        await this.store.setVisibility(message, this.settingsOf(message.entity).lockDurationSeconds);
    }

    /** Abandon: the message is redelivered at once, or dead-lettered when this was its last allowed delivery. */
    async abandon(message: LockedMessage): Promise<void> {
        const settings = this.settingsOf(message.entity);
        if (!message.entity.deadLetter && message.deliveryCount >= settings.maxDeliveryCount) {
            await this.deadLetter(message, maxDeliveryCountExceeded, exceededDescription(settings));
        } else {
            await this.store.setVisibility(message, 0);
        }
    }

    /** Moves a message to its dead-letter queue; the reason travels as application properties, as in Service Bus. */
    async deadLetter(message: LockedMessage, reason: string, description: string): Promise<void> {
        const copy: SbEnvelope = {
            ...message.envelope,
            applicationProperties: {
                ...message.envelope.applicationProperties,
                DeadLetterReason: reason,
                DeadLetterErrorDescription: description,
            },
            scheduledEnqueueTimeUtc: undefined,
            deliveryOffset: 0,
        };
        await this.store.enqueue(deadLetterOf(message.entity), copy, message.body);
        await this.store.complete(message);
        this.logger?.warn('serviceBus message dead-lettered', {
            path: message.entity.path,
            messageId: message.envelope.messageId,
            deliveryCount: message.deliveryCount,
            reason,
        });
    }

    private targetsOf(entity: string): EntityPath[] {
        const topic = this.topics.get(entity.toLowerCase());
        if (topic) return [...topic.subscriptions.values()].map((sub) => subscriptionPath(topic.name, sub));
        // A configured topic without subscriptions keeps nothing, as in Service Bus.
        if (this.configuredTopic(entity)) return [];
        return [parseEntityPath(entity)];
    }

    private configuredTopic(name: string): boolean {
        return Object.keys(this.config.topics).some((topic) => topic.toLowerCase() === name.toLowerCase());
    }
}

function exceededDescription(settings: EntitySettings): string {
    return `Message could not be consumed after ${settings.maxDeliveryCount} delivery attempts.`;
}

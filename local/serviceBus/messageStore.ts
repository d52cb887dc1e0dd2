import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';

import { type EntityPath, storageQueueName } from './entityPath';
import { decodeEnvelope, encodeEnvelope, type SbEnvelope } from './envelope';

/** A message received under a peek-lock. `popReceipt` changes on every renewal, so it lives here, not in a copy. */
export interface LockedMessage {
    entity: EntityPath;
    envelope: SbEnvelope;
    body: Buffer;
    deliveryCount: number;
    lockToken: string;
    lockedUntil: Date;
    storageMessageId: string;
    popReceipt: string;
}

export interface EnqueueReceipt {
    storageMessageId: string;
    popReceipt: string;
}

/** Azure queues hide a message for at most 7 days; longer schedules are re-hidden when they surface. */
const maxHideSeconds = 7 * 24 * 3600 - 60;
/** Azure queue messages hold 64 KiB; larger envelopes keep their body in a blob (Service Bus Standard allows 256 KB). */
const inlineLimitBytes = 48 * 1024;
const bodyContainer = 'sb-message-bodies';

/**
 * Service Bus entities kept in Azurite: one storage queue per queue / subscription / dead-letter queue, where the
 * storage visibility timeout is the peek-lock, `dequeueCount` the delivery count and `updateMessage` renew/abandon.
 * Emits `enqueued` with the entity path after every enqueue so pumps wake without waiting for their next poll.
 */
export class MessageStore extends EventEmitter {
    private readonly service: QueueServiceClient;
    private readonly queues = new Map<string, Promise<QueueClient>>();
    private readonly blobs: ContainerClient;
    private lastSequence = 0;

    constructor(connectionString: string) {
        super();
        this.service = QueueServiceClient.fromConnectionString(connectionString);
        this.blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(bodyContainer);
    }

    async init(): Promise<void> {
        await this.blobs.createIfNotExists();
    }

    /** Monotonic across restarts as long as the clock does not go back: microseconds since the epoch. */
    nextSequenceNumber(): number {
        this.lastSequence = Math.max(this.lastSequence + 1, Date.now() * 1000);
        return this.lastSequence;
    }

    async enqueue(entity: EntityPath, envelope: SbEnvelope, body: Buffer, visibleAt?: Date): Promise<EnqueueReceipt> {
        const queue = await this.queue(entity.path);
        const stored = await this.withBody(envelope, body, entity.path);
        const delay = visibleAt ? Math.ceil((visibleAt.getTime() - Date.now()) / 1000) : 0;
        const sent = await queue.sendMessage(encodeEnvelope(stored), {
            messageTimeToLive: -1,
            visibilityTimeout: Math.min(Math.max(delay, 0), maxHideSeconds),
        });
        this.emit('enqueued', entity.path);
        return { storageMessageId: sent.messageId, popReceipt: sent.popReceipt };
    }

    /** Receives up to `max` messages locked for `lockSeconds`; messages scheduled further ahead are re-hidden. */
    async receive(entity: EntityPath, max: number, lockSeconds: number): Promise<LockedMessage[]> {
        const queue = await this.queue(entity.path);
        const response = await queue.receiveMessages({ numberOfMessages: max, visibilityTimeout: lockSeconds });
        const locked: LockedMessage[] = [];
        for (const item of response.receivedMessageItems) {
            let envelope: SbEnvelope;
            try {
                envelope = decodeEnvelope(item.messageText);
            } catch {
                // Not ours (someone wrote into the queue): removing it beats redelivering garbage forever.
                await queue.deleteMessage(item.messageId, item.popReceipt);
                continue;
            }
            const scheduled = envelope.scheduledEnqueueTimeUtc ? Date.parse(envelope.scheduledEnqueueTimeUtc) : 0;
            if (scheduled > Date.now() + 1000) {
                const rehidden = { ...envelope, deliveryOffset: envelope.deliveryOffset - 1 };
                const hide = Math.min(Math.ceil((scheduled - Date.now()) / 1000), maxHideSeconds);
                await queue.updateMessage(item.messageId, item.popReceipt, encodeEnvelope(rehidden), hide);
                continue;
            }
            locked.push({
                entity,
                envelope,
                body: await this.readBody(envelope),
                deliveryCount: item.dequeueCount + envelope.deliveryOffset,
                lockToken: randomUUID(),
                lockedUntil: new Date(Date.now() + lockSeconds * 1000),
                storageMessageId: item.messageId,
                popReceipt: item.popReceipt,
            });
        }
        return locked;
    }

    async complete(message: LockedMessage): Promise<void> {
        const queue = await this.queue(message.entity.path);
        await queue.deleteMessage(message.storageMessageId, message.popReceipt);
        if (message.envelope.bodyBlob) await this.blobs.deleteBlob(message.envelope.bodyBlob).catch(() => undefined);
    }

    /** Keeps the lock (`visibleInSeconds` > 0) or gives the message back now (`0`, abandon). */
    async setVisibility(message: LockedMessage, visibleInSeconds: number): Promise<void> {
        const queue = await this.queue(message.entity.path);
        const updated = await queue.updateMessage(
            message.storageMessageId,
            message.popReceipt,
            undefined,
            visibleInSeconds,
        );
        message.popReceipt = updated.popReceipt ?? message.popReceipt;
        message.lockedUntil = new Date(Date.now() + visibleInSeconds * 1000);
        if (visibleInSeconds === 0) this.emit('enqueued', message.entity.path);
    }

    /** Deletes a message that has not been received yet (a scheduled message being cancelled). */
    async remove(entity: EntityPath, receipt: EnqueueReceipt): Promise<void> {
        const queue = await this.queue(entity.path);
        await queue.deleteMessage(receipt.storageMessageId, receipt.popReceipt);
    }

    private async withBody(envelope: SbEnvelope, body: Buffer, path: string): Promise<SbEnvelope> {
        const inline = { ...envelope, body: body.toString('base64'), bodyBlob: undefined };
        if (Buffer.byteLength(encodeEnvelope(inline)) <= inlineLimitBytes) return inline;
        const name = `${storageQueueName(path)}/${envelope.sequenceNumber}-${randomUUID()}`;
        await this.blobs.getBlockBlobClient(name).uploadData(body);
        return { ...envelope, body: undefined, bodyBlob: name };
    }

    private async readBody(envelope: SbEnvelope): Promise<Buffer> {
        if (envelope.bodyBlob) return this.blobs.getBlockBlobClient(envelope.bodyBlob).downloadToBuffer();
        return Buffer.from(envelope.body ?? '', 'base64');
    }

    private queue(path: string): Promise<QueueClient> {
        const name = storageQueueName(path);
        let pending = this.queues.get(name);
        if (!pending) {
            const client = this.service.getQueueClient(name);
            pending = client.createIfNotExists().then(() => client);
            pending.catch(() => this.queues.delete(name));
            this.queues.set(name, pending);
        }
        return pending;
    }
}

import { type Message, message as amqpMessage } from 'rhea';

import { type NewMessage, toJsonSafe } from '../envelope';

/** Message format of a Service Bus batch: one AMQP message whose `data` sections each hold an encoded message. */
export const batchMessageFormat = 0x80013700;

interface BodySection {
    typecode: number;
    content: unknown;
    multiple?: boolean;
}

/** Messages carried by one transfer: the message itself, or each message inside a batch. */
export function messagesOfTransfer(payload: Message | Buffer, format: number | undefined): NewMessage[] {
    if (format !== batchMessageFormat) return [fromAmqpMessage(payload as Message)];
    const outer = decodeMessage(payload as Buffer);
    return dataSections(outer.body as unknown).map((encoded) => fromAmqpMessage(decodeMessage(encoded)));
}

/** rhea's decoder returns its loosely typed message object. */
export function decodeMessage(encoded: Buffer): Message {
    return amqpMessage.decode(encoded) as unknown as Message;
}

/** Converts a decoded AMQP message the way Service Bus maps it onto its message properties. */
export function fromAmqpMessage(message: Message): NewMessage {
    const annotations = (message.message_annotations ?? {}) as Record<string, unknown>;
    const scheduled = annotations['x-opt-scheduled-enqueue-time'];
    const partitionKey = annotations['x-opt-partition-key'];
    return {
        body: bodyBytes(message.body as unknown),
        messageId: idText(message.message_id),
        correlationId: idText(message.correlation_id),
        contentType: optionalText(message.content_type),
        subject: optionalText(message.subject),
        to: optionalText(message.to),
        replyTo: optionalText(message.reply_to),
        replyToSessionId: optionalText(message.reply_to_group_id),
        sessionId: optionalText(message.group_id),
        partitionKey: optionalText(partitionKey),
        applicationProperties: message.application_properties
            ? (toJsonSafe(message.application_properties) as Record<string, unknown>)
            : undefined,
        timeToLiveMs: typeof message.ttl === 'number' && message.ttl > 0 ? message.ttl : undefined,
        scheduledEnqueueTimeUtc: scheduled instanceof Date ? scheduled : undefined,
    };
}

function isSection(body: unknown): body is BodySection {
    return typeof body === 'object' && body !== null && 'typecode' in body && 'content' in body;
}

function dataSections(body: unknown): Buffer[] {
    if (!isSection(body) || body.typecode !== 0x75) throw new Error('batch message without data sections');
    const content = body.multiple ? (body.content as unknown[]) : [body.content];
    return content.map((item) => Buffer.from(item as Uint8Array));
}

/** Data sections are the bytes; an `amqp-value` string is its UTF-8; anything else its JSON. */
function bodyBytes(body: unknown): Buffer {
    if (body === undefined || body === null) return Buffer.alloc(0);
    if (isSection(body)) {
        if (body.typecode === 0x75) {
            const parts = body.multiple ? (body.content as Uint8Array[]) : [body.content as Uint8Array];
            return Buffer.concat(parts.map((part) => Buffer.from(part)));
        }
        return Buffer.from(JSON.stringify(toJsonSafe(body.content)));
    }
    if (Buffer.isBuffer(body)) return body;
    if (typeof body === 'string') return Buffer.from(body, 'utf8');
    return Buffer.from(JSON.stringify(toJsonSafe(body)));
}

function idText(id: unknown): string | undefined {
    if (id === undefined || id === null) return undefined;
    if (Buffer.isBuffer(id)) return id.length === 16 ? uuidText(id) : id.toString('hex');
    return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(id);
}

function uuidText(bytes: Buffer): string {
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function optionalText(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(toJsonSafe(value));
}

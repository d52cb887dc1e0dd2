/** A message as a sender hands it over (AMQP endpoint or output binding), before the broker stamps it. */
export interface NewMessage {
    body: Buffer;
    messageId?: string;
    correlationId?: string;
    contentType?: string;
    subject?: string;
    to?: string;
    replyTo?: string;
    replyToSessionId?: string;
    sessionId?: string;
    partitionKey?: string;
    applicationProperties?: Record<string, unknown>;
    timeToLiveMs?: number;
    scheduledEnqueueTimeUtc?: Date;
}

/** What is stored in the Azurite queue message, JSON-encoded. */
export interface SbEnvelope {
    v: 1;
    messageId: string;
    /** Base64 of the body bytes; absent when the body lives in a blob (`bodyBlob`). */
    body?: string;
    bodyBlob?: string;
    correlationId?: string;
    contentType?: string;
    subject?: string;
    to?: string;
    replyTo?: string;
    replyToSessionId?: string;
    sessionId?: string;
    partitionKey?: string;
    applicationProperties: Record<string, unknown>;
    enqueuedTimeUtc: string;
    sequenceNumber: number;
    expiresAtUtc?: string;
    /** Set on scheduled messages; a message seen before this time is put back (Azure queues cap delays at 7 days). */
    scheduledEnqueueTimeUtc?: string;
    /** deliveryCount = storage dequeueCount + deliveryOffset (re-hiding a scheduled message is not a delivery). */
    deliveryOffset: number;
    deadLetterSource?: string;
}

export function encodeEnvelope(envelope: SbEnvelope): string {
    return JSON.stringify(envelope);
}

export function decodeEnvelope(text: string): SbEnvelope {
    const parsed = JSON.parse(text) as Partial<SbEnvelope>;
    if (parsed.v !== 1 || typeof parsed.messageId !== 'string' || typeof parsed.sequenceNumber !== 'number') {
        throw new Error('not a Service Bus envelope');
    }
    return parsed as SbEnvelope;
}

/** Application property values must survive JSON: dates become ISO strings, buffers base64, bigints numbers/strings. */
export function toJsonSafe(value: unknown): unknown {
    if (value instanceof Date) return value.toISOString();
    if (Buffer.isBuffer(value)) return value.toString('base64');
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    if (Array.isArray(value)) return value.map(toJsonSafe);
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
    }
    return value;
}

/**
 * The trigger payload the real host hands a Node worker: the body as UTF-8 text, parsed when it is a JSON object or
 * array (the host sends those as `json` typed data), otherwise the text itself.
 */
export function triggerPayload(body: Buffer): unknown {
    const text = body.toString('utf8');
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
            return JSON.parse(text) as unknown;
        } catch {
            return text;
        }
    }
    return text;
}

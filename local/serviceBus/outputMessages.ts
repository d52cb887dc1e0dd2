import { type NewMessage } from './envelope';

/**
 * Messages for a `serviceBus` output binding value. The binding carries only the body (the worker cannot set a
 * message id or properties): an array is several messages; strings go as UTF-8, bytes as they are, anything else
 * as JSON with content type `application/json`.
 */
export function outputMessages(value: unknown): NewMessage[] {
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return items.filter((item) => item !== undefined && item !== null).map(toMessage);
}

function toMessage(item: unknown): NewMessage {
    if (typeof item === 'string') return { body: Buffer.from(item, 'utf8') };
    if (Buffer.isBuffer(item)) return { body: item };
    if (item instanceof Uint8Array) return { body: Buffer.from(item) };
    if (item instanceof ArrayBuffer) return { body: Buffer.from(item) };
    return { body: Buffer.from(JSON.stringify(item)), contentType: 'application/json' };
}

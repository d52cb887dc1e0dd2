import { createHash } from 'node:crypto';

/**
 * A GUID derived from `key` (SHA-256, shaped as an RFC 9562 version 8 UUID): the same delivery always names the same
 * record, so a CRM that upserts by primary key (Dataverse `PATCH annotations(<id>)`) turns a repeat into an update.
 */
export function deterministicGuid(key: string): string {
    const b = createHash('sha256').update(key).digest();
    b[6] = (b[6]! & 0x0f) | 0x80;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.subarray(0, 16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

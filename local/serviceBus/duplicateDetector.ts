import { RestError, type TableClient } from '@azure/data-tables';

import { pathHash } from './entityPath';

interface DuplicateRow {
    partitionKey: string;
    rowKey: string;
    expiresAt: number;
}

/** Row keys may not contain `/ \ # ?` or control characters; message ids may. */
export function rowKeyOf(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Service Bus duplicate detection: the first message id seen on an entity within the window wins; later ones are
 * accepted by the broker and dropped. Kept in a Table so the history survives a restart, as it does in Service Bus.
 */
export class DuplicateDetector {
    constructor(private readonly table: TableClient) {}

    async init(): Promise<void> {
        await this.table.createTable();
    }

    /** True when this message id is new on the entity (and is now recorded), false for a duplicate. */
    async claim(entity: string, messageId: string, windowSeconds: number, now = Date.now()): Promise<boolean> {
        const row: DuplicateRow = {
            partitionKey: pathHash(entity),
            rowKey: rowKeyOf(messageId),
            expiresAt: now + windowSeconds * 1000,
        };
        try {
            await this.table.createEntity(row);
            return true;
        } catch (error) {
            if (!(error instanceof RestError) || error.statusCode !== 409) throw error;
        }
        const existing = await this.table.getEntity<DuplicateRow>(row.partitionKey, row.rowKey);
        if (existing.expiresAt > now) return false;
        try {
            await this.table.updateEntity(row, 'Replace', { etag: existing.etag });
            return true;
        } catch (error) {
            // Another sender re-claimed the expired id first.
            if (error instanceof RestError && error.statusCode === 412) return false;
            throw error;
        }
    }

    /** Undoes a claim whose message could not be enqueued, so the sender's retry is not taken for a duplicate. */
    async release(entity: string, messageId: string): Promise<void> {
        await this.table.deleteEntity(pathHash(entity), rowKeyOf(messageId)).catch(() => undefined);
    }
}

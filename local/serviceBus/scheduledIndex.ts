import { RestError, type TableClient } from '@azure/data-tables';

import { pathHash } from './entityPath';
import { type EnqueueReceipt } from './messageStore';

interface ScheduledRow {
    partitionKey: string;
    rowKey: string;
    /** JSON array of `{ path, storageMessageId, popReceipt }`: one per queue the message landed in (topic fan-out). */
    copies: string;
}

export interface ScheduledCopy extends EnqueueReceipt {
    path: string;
}

/**
 * Sequence number → storage message of each scheduled message, so `cancelScheduledMessages` can delete it before it
 * becomes visible (the pop receipt of a sent message stays valid until its first receive).
 */
export class ScheduledIndex {
    constructor(private readonly table: TableClient) {}

    async init(): Promise<void> {
        await this.table.createTable();
    }

    async record(entity: string, sequenceNumber: number, copies: ScheduledCopy[]): Promise<void> {
        const row: ScheduledRow = {
            partitionKey: pathHash(entity),
            rowKey: String(sequenceNumber),
            copies: JSON.stringify(copies),
        };
        await this.table.upsertEntity(row, 'Replace');
    }

    /** Takes the record out of the index; undefined when the sequence number is unknown. */
    async take(entity: string, sequenceNumber: number): Promise<ScheduledCopy[] | undefined> {
        try {
            const row = await this.table.getEntity<ScheduledRow>(pathHash(entity), String(sequenceNumber));
            await this.table.deleteEntity(row.partitionKey, row.rowKey);
            return JSON.parse(row.copies) as ScheduledCopy[];
        } catch (error) {
            if (error instanceof RestError && error.statusCode === 404) return undefined;
            throw error;
        }
    }
}

import type { TableClient, TransactionAction } from '@azure/data-tables';

import { statusOf } from './tableClients';

/** Entity-group transactions take at most 100 operations. */
const BATCH = 100;

/**
 * Deletes rows of one partition, 100 to a transaction. A row already gone fails its whole transaction (404): that
 * batch is then deleted row by row, each 404 counting as done. Resolves how many rows this call deleted.
 */
export async function deletePartitionRows(
    client: TableClient,
    partitionKey: string,
    rowKeys: readonly string[],
): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < rowKeys.length; i += BATCH) {
        const batch = rowKeys.slice(i, i + BATCH);
        try {
            await client.submitTransaction(
                batch.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]),
            );
            deleted += batch.length;
        } catch (err) {
            if (statusOf(err) !== 404) throw err;
            for (const rowKey of batch) if (await deleteRow(client, partitionKey, rowKey)) deleted++;
        }
    }
    return deleted;
}

/** Deletes one row; resolves false when it was not there. */
export async function deleteRow(client: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
    try {
        await client.deleteEntity(partitionKey, rowKey);
        return true;
    } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
    }
}

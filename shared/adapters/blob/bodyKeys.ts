import type { TableClient } from '@azure/data-tables';

import { statusOf } from '../tables/tableClients';

/** Every body's key is one row of this partition; the row key is the blob name, encoded (a `/` is not allowed). */
const PARTITION = 'body-key';

/** The data keys of encrypted raw bodies, one table row each. */
export function bodyKeys(table: () => Promise<TableClient>) {
    const rowKey = (name: string) => encodeURIComponent(name);
    const get = async (name: string): Promise<Uint8Array | undefined> => {
        try {
            const row = await (await table()).getEntity<{ key: Uint8Array }>(PARTITION, rowKey(name));
            return row.key;
        } catch (err) {
            if (statusOf(err) === 404) return undefined;
            throw err;
        }
    };
    return {
        get,
        async getOrCreate(name: string, make: () => Uint8Array): Promise<Uint8Array> {
            const key = make();
            try {
                await (await table()).createEntity({ partitionKey: PARTITION, rowKey: rowKey(name), key });
                return key;
            } catch (err) {
                if (statusOf(err) !== 409) throw err;
            }
            const existing = await get(name);
            if (existing === undefined) throw new Error('A raw body key vanished while it was being written');
            return existing;
        },
        async delete(name: string): Promise<boolean> {
            try {
                await (await table()).deleteEntity(PARTITION, rowKey(name));
                return true;
            } catch (err) {
                if (statusOf(err) === 404) return false;
                throw err;
            }
        },
    };
}

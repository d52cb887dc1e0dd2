import { tableNames } from '../../names';
import type { CheckpointStore } from '../../ports/CheckpointStore';
import { statusOf, type TableClientFactory } from './tableClients';

const PARTITION = 'checkpoint';

export function createTableCheckpointStore(tables: TableClientFactory): CheckpointStore {
    const table = () => tables(tableNames.checkpoints);
    return {
        async get(name) {
            try {
                const e = await (await table()).getEntity<{ value?: unknown }>(PARTITION, name);
                return typeof e.value === 'string' ? e.value : undefined;
            } catch (err) {
                if (statusOf(err) === 404) return undefined;
                throw err;
            }
        },
        async set(name, value) {
            await (await table()).upsertEntity({ partitionKey: PARTITION, rowKey: name, value }, 'Replace');
        },
    };
}

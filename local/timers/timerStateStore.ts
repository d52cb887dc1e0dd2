import { RestError, TableClient } from '@azure/data-tables';

export interface TimerStatus {
    last: string;
    next: string;
    lastUpdated: string;
}

export interface TimerStateStore {
    get(functionName: string): Promise<TimerStatus | undefined>;
    set(functionName: string, status: TimerStatus): Promise<void>;
}

const TABLE = 'LocalHostTimerStatus';
const PARTITION = 'timer';

/**
 * The schedule monitor's state (last and next occurrence per timer function) in the host's Azurite Table storage, so
 * with `--storage disk` a restart knows whether an occurrence was missed, as the real host does with its blob lease
 * container `azure-webjobs-hosts/timers`.
 */
export async function createTimerStateStore(connectionString: string): Promise<TimerStateStore> {
    const table = TableClient.fromConnectionString(connectionString, TABLE, { allowInsecureConnection: true });
    await table.createTable();
    return {
        get: async (functionName) => {
            try {
                const entity = await table.getEntity<TimerStatus>(PARTITION, functionName);
                return { last: entity.last, next: entity.next, lastUpdated: entity.lastUpdated };
            } catch (err) {
                if (err instanceof RestError && err.statusCode === 404) return undefined;
                throw err;
            }
        },
        set: async (functionName, status) => {
            await table.upsertEntity({ partitionKey: PARTITION, rowKey: functionName, ...status }, 'Replace');
        },
    };
}

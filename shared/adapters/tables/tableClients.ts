import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';

/** How to reach a storage account's Table service: a connection string locally, an endpoint + identity in Azure. */
export type TableConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };

export type TableClientFactory = (tableName: string) => Promise<TableClient>;

/** Builds a client for a named table in `connection`. */
export function tableClient(connection: TableConnection, tableName: string): TableClient {
    if ('connectionString' in connection) {
        const insecure = /(^|;)\s*(UseDevelopmentStorage=true|DefaultEndpointsProtocol=http)\s*(;|$)/iu.test(
            connection.connectionString,
        );
        return TableClient.fromConnectionString(connection.connectionString, tableName, {
            allowInsecureConnection: insecure,
        });
    }
    return new TableClient(connection.endpoint, tableName, connection.credential);
}

/**
 * Clients for the pipeline's own tables (names prefixed), each table created on first use. Creation is memoised per
 * worker; `createTable` is itself idempotent, so concurrent first uses are harmless.
 */
export function createTableClientFactory(connection: TableConnection, prefix: string): TableClientFactory {
    const created = new Map<string, Promise<TableClient>>();
    return (tableName) => {
        const full = `${prefix}${tableName}`;
        let client = created.get(full);
        if (client === undefined) {
            const c = tableClient(connection, full);
            client = c.createTable().then(() => c);
            client.catch(() => created.delete(full));
            created.set(full, client);
        }
        return client;
    };
}

/** Status code of an Azure SDK RestError, if any. */
export function statusOf(err: unknown): number | undefined {
    if (typeof err === 'object' && err !== null && 'statusCode' in err) {
        const code = err.statusCode;
        return typeof code === 'number' ? code : undefined;
    }
    return undefined;
}

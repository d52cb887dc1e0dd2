import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

import type { StoragePorts } from './storageConnectionString';

interface AzuriteServer {
    start(): Promise<void>;
    close(): Promise<void>;
    getHttpServerAddress(): string;
}
type ServerCtor = new (config: unknown) => AzuriteServer;
type ConfigCtor = new (...args: unknown[]) => unknown;

function load<T>(path: string): T {
    // Deep imports: Azurite's "main" needs vscode, it has no "exports" map and no typings for its servers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`azurite/dist/src/${path}`) as { default: T }).default;
}

export interface AzuriteServers {
    ports: StoragePorts;
    close(): Promise<void>;
}

/**
 * Starts Azurite's Blob, Queue and Table servers in this process on 127.0.0.1, with the CLI's file layout under
 * `location` (LokiJS metadata plus extent folders), or in memory when `location` is null.
 */
export async function startAzuriteServers(
    location: string | null,
    ports: StoragePorts,
    accessLog?: (service: 'blob' | 'queue' | 'table') => Writable,
): Promise<AzuriteServers> {
    const memory = location === null;
    const at = (file: string): string | undefined => (location ? join(location, file) : undefined);
    const persistence = (dir: string, concurrency: number): unknown =>
        location ? [{ locationId: 'Default', locationPath: at(dir), maxConcurrency: concurrency }] : undefined;
    if (location) mkdirSync(location, { recursive: true });
    const host = '127.0.0.1';
    // enableAccessLog, accessLogStream, enableDebugLog, debugPath, loose, skipApiVersionCheck, cert, key, pwd, oauth,
    // disableProductStyleUrl, inMemory: the tail both Queue and Blob configurations share.
    const common = (service: 'blob' | 'queue') => [
        accessLog !== undefined,
        accessLog?.(service),
        false,
        undefined,
        true,
        true,
        '',
        '',
        '',
        undefined,
        false,
        memory,
    ];
    const TableConfiguration = load<ConfigCtor>('table/TableConfiguration');
    const QueueConfiguration = load<ConfigCtor>('queue/QueueConfiguration');
    const BlobConfiguration = load<ConfigCtor>('blob/BlobConfiguration');
    const tableDb = at('__azurite_db_table__.json');
    const table = new (load<ServerCtor>('table/TableServer'))(
        new TableConfiguration(
            host,
            ports.table,
            5,
            tableDb,
            false,
            accessLog !== undefined,
            accessLog?.('table'),
            undefined,
            true,
            true,
            '',
            '',
            '',
            undefined,
            false,
            memory,
        ),
    );
    const queueDb = [at('__azurite_db_queue__.json'), at('__azurite_db_queue_extent__.json')];
    const queue = new (load<ServerCtor>('queue/QueueServer'))(
        new QueueConfiguration(
            host,
            ports.queue,
            5,
            ...queueDb,
            persistence('__queuestorage__', 1),
            ...common('queue'),
        ),
    );
    const blobDb = [at('__azurite_db_blob__.json'), at('__azurite_db_blob_extent__.json')];
    const blob = new (load<ServerCtor>('blob/BlobServer'))(
        new BlobConfiguration(host, ports.blob, 5, ...blobDb, persistence('__blobstorage__', 10), ...common('blob')),
    );
    const servers = [blob, queue, table];
    await Promise.all(servers.map((s) => s.start()));
    const port = (s: AzuriteServer): number => Number(new URL(s.getHttpServerAddress()).port);
    return {
        ports: { blob: port(blob), queue: port(queue), table: port(table) },
        close: async () => {
            await Promise.allSettled(servers.map((s) => s.close()));
        },
    };
}

/**
 * Runs Azurite's Blob, Queue and Table servers in a child process of the host. A separate process keeps Azurite's
 * work off the host's event loop and, above all, keeps the data safe when the host is killed: Azurite writes its
 * LokiJS files only every 5 s and on close, so this process closes (and saves) as soon as its stdin ends, which
 * happens when the host exits for any reason, SIGKILL included. Prints `AZURITE_READY {ports}` when listening.
 * Usage: node azuriteChild.js '{"location":"/dir"|null,"ports":{"blob":0,"queue":0,"table":0}}'
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface AzuriteServer {
    start(): Promise<void>;
    close(): Promise<void>;
    getHttpServerAddress(): string;
}
type ServerCtor = new (config: unknown) => AzuriteServer;
type ConfigCtor = new (...args: unknown[]) => unknown;

function load<T>(path: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Azurite has no "exports" and no typings for its servers.
    return (require(`azurite/dist/src/${path}`) as { default: T }).default;
}

interface ChildConfig {
    location: string | null;
    ports: { blob: number; queue: number; table: number };
}

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
    const memory = config.location === null;
    const at = (file: string): string | undefined => (config.location ? join(config.location, file) : undefined);
    const persistence = (dir: string, concurrency: number): unknown =>
        config.location ? [{ locationId: 'Default', locationPath: at(dir), maxConcurrency: concurrency }] : undefined;
    if (config.location) mkdirSync(config.location, { recursive: true });
    const host = '127.0.0.1';
    // enableAccessLog, accessLogStream, enableDebugLog, debugPath, loose, skipApiVersionCheck, cert, key, pwd, oauth,
    // disableProductStyleUrl, inMemory: the tail both Queue and Blob configurations share.
    const common = [false, undefined, false, undefined, true, true, '', '', '', undefined, false, memory];
    const TableConfiguration = load<ConfigCtor>('table/TableConfiguration');
    const QueueConfiguration = load<ConfigCtor>('queue/QueueConfiguration');
    const BlobConfiguration = load<ConfigCtor>('blob/BlobConfiguration');
    const table = new (load<ServerCtor>('table/TableServer'))(
        new TableConfiguration(
            host,
            config.ports.table,
            5,
            at('__azurite_db_table__.json'),
            false,
            false,
            undefined,
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
    const queue = new (load<ServerCtor>('queue/QueueServer'))(
        new QueueConfiguration(
            host,
            config.ports.queue,
            5,
            at('__azurite_db_queue__.json'),
            at('__azurite_db_queue_extent__.json'),
            persistence('__queuestorage__', 1),
            ...common,
        ),
    );
    const blob = new (load<ServerCtor>('blob/BlobServer'))(
        new BlobConfiguration(
            host,
            config.ports.blob,
            5,
            at('__azurite_db_blob__.json'),
            at('__azurite_db_blob_extent__.json'),
            persistence('__blobstorage__', 10),
            ...common,
        ),
    );
    const servers = [blob, queue, table];
    await Promise.all(servers.map((s) => s.start()));
    const pidFile = at('azurite.pid');
    if (pidFile) writeFileSync(pidFile, String(process.pid));

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
        (closing ??= Promise.allSettled(servers.map((s) => s.close())).then(() => {
            if (pidFile) rmSync(pidFile, { force: true });
            process.exit(0);
        }));
    process.stdin.on('end', () => void close());
    process.stdin.on('error', () => void close());
    process.stdin.resume();
    process.on('SIGTERM', () => void close());
    // Ctrl-C in a terminal reaches the whole process group; the host still needs storage while it stops, and ends
    // this process itself (stdin) once it is done.
    process.on('SIGINT', () => {});

    const port = (s: AzuriteServer): number => Number(new URL(s.getHttpServerAddress()).port);
    process.stdout.write(
        `AZURITE_READY ${JSON.stringify({ blob: port(blob), queue: port(queue), table: port(table) })}\n`,
    );
}

main().catch((err: unknown) => {
    process.stderr.write(`Azurite failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});

/**
 * Runs Azurite in a child process of the host. A separate process keeps Azurite's work off the host's event loop
 * and, above all, keeps the data safe when the host is killed: Azurite writes its LokiJS files only every 5 s and on
 * close, so this process closes (and saves) as soon as its stdin ends, which happens when the host exits for any
 * reason, SIGKILL included. Prints `AZURITE_READY {ports}` when listening.
 * Usage: node azuriteChild.js '{"location":"/dir"|null,"ports":{"blob":0,"queue":0,"table":0}}'
 *
 * With `LOCAL_STORAGE_ACCESS_LOG=<file>` every storage request is appended to that file as one line, the service
 * first (`table 127.0.0.1 - - [date] "POST /devstoreaccount1/$batch HTTP/1.1" 202 -`): the benchmarks count the
 * operations each step of the pipeline costs, the host's own (durable, Service Bus stand-in) included.
 */
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { startAzuriteServers } from './azuriteServers';
import type { StoragePorts } from './storageConnectionString';

async function main(): Promise<void> {
    const config = JSON.parse(process.argv[2] ?? '{}') as { location: string | null; ports: StoragePorts };
    const servers = await startAzuriteServers(config.location, config.ports, accessLog());
    const pidFile = config.location ? join(config.location, 'azurite.pid') : undefined;
    if (pidFile) writeFileSync(pidFile, String(process.pid));

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
        (closing ??= servers.close().then(() => {
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

    process.stdout.write(`AZURITE_READY ${JSON.stringify(servers.ports)}\n`);
}

/** One file for the three services, each line tagged with its service; undefined when the setting is not set. */
function accessLog(): ((service: string) => Writable) | undefined {
    const path = process.env.LOCAL_STORAGE_ACCESS_LOG;
    if (path === undefined || path === '') return undefined;
    const file = createWriteStream(path, { flags: 'a' });
    return (service) =>
        new Writable({
            write(chunk: Buffer, _encoding, done) {
                file.write(`${service} ${chunk.toString()}`, done);
            },
        });
}

main().catch((err: unknown) => {
    process.stderr.write(`Azurite failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});

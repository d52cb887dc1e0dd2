/**
 * `node dist/local/cli.js start [...]`: runs a v4 Node function app folder on the embedded host, like `func start`.
 * Prints every function with its trigger when ready, then one machine-readable line `LOCAL_HOST_READY {json}`.
 */
import { parseStartArgs, USAGE } from './cliArgs';
import { createExtensions } from './extensions';
import { createConsoleLogger } from './host/consoleLogger';
import { type RunningHost, startLocalHost } from './host/startLocalHost';

async function main(): Promise<void> {
    let args;
    try {
        args = parseStartArgs(process.argv.slice(2), process.cwd());
    } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        if (!(err instanceof Error && err.message === USAGE)) console.error(USAGE);
        process.exit(2);
    }
    // The Service Bus stand-in reads its AMQP port from this setting (0 = free port).
    if (args.sbPort !== undefined) process.env.LOCAL_SERVICE_BUS_PORT = String(args.sbPort);
    const logger = createConsoleLogger();
    const running: { host?: RunningHost } = {};
    let stopping = false;
    const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        logger.info(`${signal}: stopping the host`);
        const done = running.host ? running.host.stop() : Promise.resolve();
        done.then(
            () => process.exit(0),
            (err: unknown) => {
                console.error('Host did not stop cleanly:', err);
                process.exit(1);
            },
        );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));

    const host = await startLocalHost({
        appDir: args.appDir,
        port: args.port,
        storage: args.storage,
        storagePorts: args.storagePorts,
        dataDir: args.dataDir,
        extensions: createExtensions(),
        logger,
    });
    running.host = host;
    if (stopping) return void host.stop().then(() => process.exit(0));
    console.log('\nFunctions:\n');
    for (const { registration, extension } of host.registrations) {
        const line = extension?.describe?.(registration) ?? `${registration.name}: ${registration.trigger.type}`;
        console.log(`    ${line}${extension ? '' : ' (not run locally)'}`);
    }
    console.log(`\nHost listening on ${host.context.baseUrl} (storage: ${args.storage})`);
    console.log(`LOCAL_HOST_READY ${JSON.stringify(host.readyInfo)}`);
}

main().catch((err: unknown) => {
    console.error('Host failed to start:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});

/**
 * `node dist/local/cli.js start [...]`: runs a v4 Node function app folder on the embedded host, like `func start`.
 * Prints every function with its trigger when ready, the URL, how to stop and a first command to try; with
 * `--ready-line` also one machine-readable line `LOCAL_HOST_READY {json}` (ports, connection strings, keys) for tools.
 */
import { parseStartArgs, type StartArgs, USAGE } from './cliArgs';
import { createExtensions } from './extensions';
import { createConsoleLogger } from './host/consoleLogger';
import { type HostedFunction, type RunningHost, startLocalHost } from './host/startLocalHost';

/** How long a stop may take before the process exits anyway (in-flight work is recovered at the next start). */
const STOP_LIMIT_MS = 15_000;

function listFunctions(host: RunningHost): void {
    console.log('\nFunctions:\n');
    for (const { registration, extension, unemulated } of host.registrations) {
        const line = extension?.describe?.(registration) ?? `${registration.name}: ${registration.trigger.type}`;
        const notes: string[] = [];
        if (!extension) notes.push('not run locally');
        if (unemulated.length > 0)
            notes.push(`not run locally: ${unemulated.map((b) => `${b.type} ${b.direction}put`).join(', ')}`);
        console.log(`    ${line}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
    }
}

/** A first command for a person: the first HTTP function without route parameters, with its key when one is needed. */
function firstCommand(host: RunningHost): string | undefined {
    const http = host.registrations.find(
        ({ registration, extension }: HostedFunction) =>
            extension?.name === 'http' &&
            !(typeof registration.trigger.route === 'string' ? registration.trigger.route : '').includes('{') &&
            (!Array.isArray(registration.trigger.methods) ||
                (registration.trigger.methods as unknown[]).map(String).some((m) => /^(GET|POST)$/i.test(m))),
    );
    if (!http) return undefined;
    const described = http.extension?.describe?.(http.registration) ?? '';
    const url = /https?:\/\/\S+/.exec(described)?.[0];
    if (!url) return undefined;
    const methods = http.registration.trigger.methods;
    const method = Array.isArray(methods) && !methods.map(String).some((m) => /^GET$/i.test(m)) ? 'POST' : 'GET';
    const key = typeof host.readyInfo.functionKey === 'string' ? host.readyInfo.functionKey : undefined;
    const level = http.registration.trigger.authLevel;
    const needsKey = (typeof level === 'string' ? level : 'function').toLowerCase() !== 'anonymous';
    const target = needsKey && key ? `${url}?code=${encodeURIComponent(key)}` : url;
    return `curl -i ${method === 'POST' ? '-X POST ' : ''}"${target}"`;
}

/** Polls the parent: when it is gone (SIGKILL of a wrapper such as `npm start`), this process is an orphan. */
function watchParent(onGone: () => void): void {
    const parent = process.ppid;
    const timer = setInterval(() => {
        if (process.ppid !== parent) {
            clearInterval(timer);
            onGone();
        }
    }, 500);
    timer.unref();
}

async function main(): Promise<void> {
    let args: StartArgs;
    try {
        args = parseStartArgs(process.argv.slice(2), process.cwd());
    } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        if (!(err instanceof Error && err.message === USAGE)) console.error(USAGE);
        process.exit(2);
    }
    // Azure runs the app with its root as the working directory, so relative paths in the app resolve there.
    process.chdir(args.appDir);
    // The Service Bus stand-in reads its AMQP port from this setting (0 = free port).
    if (args.sbPort !== undefined) process.env.LOCAL_SERVICE_BUS_PORT = String(args.sbPort);
    const logger = createConsoleLogger();
    const running: { host?: RunningHost } = {};
    let stopping = false;
    let stoppingAt = 0;
    const shutdown = (reason: string): void => {
        if (stopping) {
            // Ctrl-C reaches a wrapper too, which passes it on: one stop request. Asked again later: exit now.
            if (Date.now() - stoppingAt < 2_000) return;
            logger.warn(`${reason} again: exiting now`);
            process.exit(1);
        }
        stopping = true;
        stoppingAt = Date.now();
        logger.info(`${reason}: stopping the host`);
        setTimeout(() => {
            logger.error(`The host did not stop within ${STOP_LIMIT_MS / 1000} s: exiting`);
            process.exit(1);
        }, STOP_LIMIT_MS).unref();
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
    if (args.exitWithParent) watchParent(() => shutdown('The process that started the host is gone'));
    // Whoever read the console went away (a killed wrapper): writing would fail with EPIPE; stop cleanly instead.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => shutdown('The console is gone'));

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
    listFunctions(host);
    console.log(`\nHost listening on ${host.context.baseUrl} (storage: ${args.storage}). Press Ctrl-C to stop.`);
    const first = firstCommand(host);
    if (first) console.log(`Try: ${first}`);
    if (args.readyLine) console.log(`LOCAL_HOST_READY ${JSON.stringify(host.readyInfo)}`);
}

main().catch((err: unknown) => {
    console.error('Host failed to start:', err instanceof Error ? err.message : err);
    if (process.env.LOCAL_HOST_LOG_LEVEL === 'debug' && err instanceof Error) console.error(err.stack);
    process.exit(1);
});

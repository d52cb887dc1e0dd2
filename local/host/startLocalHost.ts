import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import type * as functions from '@azure/functions';

import type { BindingMetadata, HostContext, HostExtension, HostLogger, Registration } from '../contracts';
import { createHostServer, listenOnLoopback } from '../http/createHostServer';
import { startAzurite } from '../storage/startAzurite';
import { rewriteDevelopmentStorageSettings } from '../storage/storageConnectionString';
import { applyLocalSettings, resolveSettingReferences } from './appSettings';
import { installFunctionsCore } from './installFunctionsCore';
import { invokeFunction } from './invokeFunction';
import { loadApp, readHostJson } from './loadApp';
import { describePortOwner } from './portOwner';
import { runHooks } from './runHooks';
import { toRegistration } from './toRegistration';
import { watchAppSetup } from './watchAppSetup';

export interface LocalHostOptions {
    appDir: string;
    /** 0 picks a free port. */
    port: number;
    storage: 'disk' | 'memory';
    storagePorts: 'standard' | 'free';
    dataDir?: string;
    extensions: HostExtension[];
    logger: HostLogger;
}

export interface HostedFunction {
    registration: Registration;
    /** The extension that runs its trigger; undefined: the function is listed but never runs. */
    extension: HostExtension | undefined;
    /** Its input and output bindings no extension serves: they give no value and deliver nothing here. */
    unemulated: BindingMetadata[];
}

export interface RunningHost {
    context: HostContext;
    registrations: HostedFunction[];
    /** Facts for tools: base URL, storage connection string and every extension's `readyInfo()`. */
    readyInfo: Record<string, unknown>;
    stop(): Promise<void>;
}

/** Bindings every extension leaves alone, yet the host handles itself: an HTTP function's response. */
const HOST_BINDINGS = new Set(['http']);

function describeBinding(binding: BindingMetadata): string {
    return `${binding.type} (${binding.direction})`;
}

/**
 * Starts the embedded host on an app folder, in the order that keeps every setting final before any app code runs:
 * settings, Azurite, the HTTP server (503 until ready), each extension's `prepare` (listeners and the settings they
 * rewrite), then the app is loaded, `appStart` hooks run, the extensions start their triggers (and resumed durable
 * work), and only then does the host accept requests.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<RunningHost> {
    const { logger, extensions } = options;
    const appDir = resolve(options.appDir);
    const dataDir = resolve(options.dataDir ?? join(appDir, '.local'));
    const cleanups: (() => Promise<void>)[] = [];
    const cleanup = async (): Promise<void> => {
        for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
    };
    try {
        const settings = applyLocalSettings(appDir);
        if (settings.source) logger.info(`Settings from ${settings.source}`, { applied: settings.applied.length });

        const azurite = await startAzurite({ mode: options.storage, dataDir, ports: options.storagePorts, logger });
        cleanups.push(() => azurite.stop());
        const rewritten = rewriteDevelopmentStorageSettings(azurite.ports);
        if (rewritten.length > 0)
            logger.info('UseDevelopmentStorage=true points at this host’s Azurite', { settings: rewritten });

        let ready = false;
        const hostServer = createHostServer(
            () => extensions,
            () => ready,
            logger,
        );
        const listening = await listenOnLoopback(hostServer.server, options.port).catch((err: unknown) => {
            if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
            throw new Error(
                `The host cannot listen on 127.0.0.1:${options.port}: ${describePortOwner(options.port)}. Or use another port: --port N`,
            );
        });
        cleanups.push(() => listening.close(0));
        const baseUrl = `http://127.0.0.1:${listening.port}`;
        // The durable client rewrites its management URLs to WEBSITE_HOSTNAME (else localhost:7071).
        process.env.WEBSITE_HOSTNAME = `127.0.0.1:${listening.port}`;

        const core = installFunctionsCore();
        const appRequire = createRequire(join(appDir, 'package.json'));
        let appFunctions: typeof functions | undefined;
        const functionsModule = (): typeof functions =>
            (appFunctions ??= appRequire('@azure/functions') as typeof functions);
        const appHookData: Record<string, unknown> = {};
        const appLevelHookData: Record<string, unknown> = {};
        const context: HostContext = {
            appDir,
            dataDir,
            storageMode: options.storage,
            storageConnectionString: azurite.connectionString,
            baseUrl,
            hostJson: readHostJson(appDir),
            logger,
            setting: (name) => process.env[name],
            resolve: (value) => resolveSettingReferences(value),
            invoke: (registration, input, invokeOptions) =>
                invokeFunction(
                    { functionsModule, extensions, hooks: core.captured.hooks, appHookData, logger },
                    registration,
                    input,
                    invokeOptions,
                ),
            functionsModule,
        };

        // Every extension stops at shutdown (last first), whether it got as far as start or not.
        const active: HostExtension[] = [];
        cleanups.push(async () => {
            for (const extension of active.reverse()) await extension.stop();
        });
        for (const extension of extensions) {
            active.push(extension);
            await extension.prepare?.(context);
        }

        core.captured.logHandler = (level, category, message) => {
            const text = `[${category}] ${message}`;
            if (level === 'error' || level === 'critical') logger.error(text);
            else if (level === 'warning') logger.warn(text);
            else logger.debug(text);
        };
        const setupCalls = tryWatchAppSetup(functionsModule);
        const app = await loadApp(appDir);
        const model = core.captured.programmingModel;
        logger.info(`Loaded ${app.entryFiles.length} entry file(s) from ${appDir}`, {
            programmingModel: model ? `${model.name ?? '?'} ${model.version ?? '?'}` : 'none',
        });
        if (core.captured.functions.length === 0) {
            logger.warn('The app registered no functions: is it a v4 app (@azure/functions 4.x, app.http(...) etc.)?');
        }
        if (setupCalls().some((call) => call.enableHttpStream === true)) {
            logger.warn(
                'app.setup({ enableHttpStream: true }) is not applied here: the local host reads each request body whole ' +
                    '(within FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) before the function runs, and sends each response whole',
            );
        }

        const registrations = core.captured.functions.map(({ metadata, callback }) =>
            hostFunction(extensions, logger, metadata, callback),
        );

        const hookContext = { hookData: appLevelHookData, appHookData, functionAppDirectory: appDir };
        await runHooks(core.captured.hooks, 'appStart', hookContext);
        for (const extension of extensions) await extension.start(context);
        ready = true;

        const readyInfo: Record<string, unknown> = { baseUrl, storageConnectionString: azurite.connectionString };
        for (const extension of extensions) Object.assign(readyInfo, extension.readyInfo?.() ?? {});
        // Stop like the real host: stop the triggers, last registered first (HTTP triggers refuse new requests at
        // once; each extension drains its in-flight work while the others, e.g. the durable client API, still
        // serve), tell the app (appTerminate), then release the port and storage.
        const stop = async (): Promise<void> => {
            for (const extension of [...active].reverse()) {
                await extension
                    .stop()
                    .catch((err: unknown) =>
                        logger.error(`Extension '${extension.name}' failed to stop`, { error: String(err) }),
                    );
            }
            ready = false;
            await runHooks(core.captured.hooks, 'appTerminate', hookContext).catch((err: unknown) =>
                logger.error('appTerminate hook failed', { error: String(err) }),
            );
            hostServer.flushReports();
            await listening.close(5_000);
            await azurite.stop();
        };
        let stopping: Promise<void> | undefined;
        return { context, registrations, readyInfo, stop: () => (stopping ??= stop()) };
    } catch (err) {
        await cleanup();
        throw err;
    }
}

function tryWatchAppSetup(functionsModule: () => typeof functions): () => functions.SetupOptions[] {
    try {
        return watchAppSetup(functionsModule());
    } catch {
        return () => []; // the app has no @azure/functions of its own: it registers nothing either
    }
}

/**
 * One registration as the host runs it. `%SETTING%` references in the bindings the host runs must resolve (the
 * start fails, naming function and binding, as the real host does); a binding the host does not run needs none of
 * its settings here, so a missing one is a warning, once, naming function and binding.
 */
function hostFunction(
    extensions: readonly HostExtension[],
    logger: HostLogger,
    metadata: Parameters<typeof toRegistration>[0],
    callback: Parameters<typeof toRegistration>[1],
): HostedFunction {
    const raw = toRegistration(metadata, callback, () => (value) => value);
    const extension = extensions.find((e) => e.claims(raw));
    const emulated = (binding: BindingMetadata): boolean =>
        extension !== undefined &&
        (binding.name === raw.trigger.name ||
            HOST_BINDINGS.has(binding.type) ||
            extensions.some((e) => e.servesBinding?.(binding) === true));
    const registration = toRegistration(metadata, callback, (binding) => {
        if (emulated(binding)) {
            return (value) => {
                try {
                    return resolveSettingReferences(value);
                } catch (err) {
                    throw new Error(
                        `Function '${metadata.name}', binding '${binding.name}' (${binding.type}): ${(err as Error).message}`,
                    );
                }
            };
        }
        const missing = new Set<string>();
        return (value) =>
            resolveSettingReferences(value, process.env, (name) => {
                if (missing.has(name)) return;
                missing.add(name);
                logger.warn(
                    `Function '${metadata.name}', binding '${binding.name}' (${binding.type}) refers to app setting '${name}', which is not set; the local host does not run this binding, so it does not need it`,
                );
            });
    });
    if (extension) extension.register(registration);
    else
        logger.warn(`No local support for trigger '${registration.trigger.type}': '${registration.name}' will not run`);
    const unemulated = extension
        ? Object.values(registration.metadata.bindings).filter((b) => b !== registration.trigger && !emulated(b))
        : [];
    if (unemulated.length > 0)
        logger.warn(
            `Function '${registration.name}': bindings the local host does not run, so they do nothing here: ${unemulated.map(describeBinding).join(', ')}`,
        );
    return { registration, extension, unemulated };
}

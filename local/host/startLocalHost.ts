import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import type * as functions from '@azure/functions';

import type { HostContext, HostExtension, HostLogger, Registration } from '../contracts';
import { createHostServer, listenOnLoopback } from '../http/createHostServer';
import { startAzurite } from '../storage/startAzurite';
import { rewriteDevelopmentStorageSettings } from '../storage/storageConnectionString';
import { applyLocalSettings, resolveSettingReferences } from './appSettings';
import { installFunctionsCore } from './installFunctionsCore';
import { invokeFunction } from './invokeFunction';
import { loadApp } from './loadApp';
import { runHooks } from './runHooks';
import { toRegistration } from './toRegistration';

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

export interface RunningHost {
    context: HostContext;
    registrations: { registration: Registration; extension: HostExtension | undefined }[];
    /** Facts for the ready line: base URL, storage connection string and every extension's `readyInfo()`. */
    readyInfo: Record<string, unknown>;
    stop(): Promise<void>;
}

/** Starts the embedded host on an app folder: settings, Azurite, HTTP server, app load, hooks, extensions. */
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
        const server = createHostServer(
            () => extensions,
            () => ready,
            logger,
        );
        const listening = await listenOnLoopback(server, options.port);
        const port = listening.port;
        cleanups.push(() => listening.close(0));
        const baseUrl = `http://127.0.0.1:${port}`;
        // The durable client rewrites its management URLs to WEBSITE_HOSTNAME (else localhost:7071).
        process.env.WEBSITE_HOSTNAME = `127.0.0.1:${port}`;

        const core = installFunctionsCore();
        core.captured.logHandler = (level, category, message) => {
            const text = `[${category}] ${message}`;
            if (level === 'error' || level === 'critical') logger.error(text);
            else if (level === 'warning') logger.warn(text);
            else logger.debug(text);
        };
        const app = await loadApp(appDir);
        const model = core.captured.programmingModel;
        logger.info(`Loaded ${app.entryFiles.length} entry file(s) from ${appDir}`, {
            programmingModel: model ? `${model.name ?? '?'} ${model.version ?? '?'}` : 'none',
        });
        if (core.captured.functions.length === 0) {
            logger.warn('The app registered no functions: is it a v4 app (@azure/functions 4.x, app.http(...) etc.)?');
        }

        const appRequire = createRequire(join(appDir, 'package.json'));
        let appFunctions: typeof functions | undefined;
        const functionsModule = (): typeof functions =>
            (appFunctions ??= appRequire('@azure/functions') as typeof functions);
        const appHookData: Record<string, unknown> = {};
        const appLevelHookData: Record<string, unknown> = {};
        const resolveSetting = (value: string): string => resolveSettingReferences(value);
        const context: HostContext = {
            appDir,
            dataDir,
            storageMode: options.storage,
            storageConnectionString: azurite.connectionString,
            baseUrl,
            hostJson: app.hostJson,
            logger,
            setting: (name) => process.env[name],
            resolve: resolveSetting,
            invoke: (registration, input, invokeOptions) =>
                invokeFunction(
                    { functionsModule, extensions, hooks: core.captured.hooks, appHookData, logger },
                    registration,
                    input,
                    invokeOptions,
                ),
            functionsModule,
        };

        const registrations = core.captured.functions.map(({ metadata, callback }) => {
            const registration = toRegistration(metadata, callback, resolveSetting);
            const extension = extensions.find((e) => e.claims(registration));
            if (extension) extension.register(registration);
            else
                logger.warn(
                    `No local support for trigger '${registration.trigger.type}': '${registration.name}' will not run`,
                );
            return { registration, extension };
        });

        const hookContext = { hookData: appLevelHookData, appHookData, functionAppDirectory: appDir };
        await runHooks(core.captured.hooks, 'appStart', hookContext);
        const started: HostExtension[] = [];
        cleanups.push(async () => {
            for (const extension of started.reverse()) await extension.stop();
        });
        for (const extension of extensions) {
            await extension.start(context);
            started.push(extension);
        }
        ready = true;

        const readyInfo: Record<string, unknown> = { baseUrl, storageConnectionString: azurite.connectionString };
        for (const extension of extensions) Object.assign(readyInfo, extension.readyInfo?.() ?? {});
        // Stop like the real host: stop the triggers, last registered first (HTTP triggers refuse new requests at
        // once; each extension drains its in-flight work while the others, e.g. the durable client API, still
        // serve), tell the app (appTerminate), then release the port and storage.
        const stop = async (): Promise<void> => {
            for (const extension of [...started].reverse()) {
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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FunctionCallback, HostContext, HostExtension, HostLogger, Registration } from '../../../local/contracts';
import { createServiceBusExtension } from '../../../local/serviceBus/createServiceBusExtension';

export interface Delivery {
    payload: unknown;
    metadata: Record<string, unknown>;
}

const quietLogger: HostLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** A registration as the host core builds it, for a trigger with the given binding properties. */
export function sbRegistration(
    name: string,
    trigger: Record<string, unknown>,
    callback: FunctionCallback,
): Registration {
    const binding = { name: `${name}Trigger`, type: 'serviceBusTrigger', direction: 'in' as const, ...trigger };
    return { name, metadata: { name, bindings: { [binding.name]: binding } }, callback, trigger: binding };
}

export interface FakeHost {
    extension: HostExtension;
    context: HostContext;
    connectionString: string;
    stop(): Promise<void>;
}

/**
 * The extension under a minimal host: `invoke` calls the handler with the trigger metadata and hands its return
 * value to `handleOutputs` as a `$return` serviceBus output when `returnTo` names a queue.
 */
export async function startFakeHost(options: {
    storageConnectionString: string;
    registrations: Registration[];
    config?: unknown;
    hostJson?: Record<string, unknown>;
    returnTo?: string;
}): Promise<FakeHost> {
    const appDir = mkdtempSync(join(tmpdir(), 'sb-app-'));
    if (options.config) writeFileSync(join(appDir, 'local.servicebus.json'), JSON.stringify(options.config));
    const extension = createServiceBusExtension();
    const settings: Record<string, string> = { LOCAL_SERVICE_BUS_PORT: '0' };
    const context: HostContext = {
        appDir,
        dataDir: join(appDir, '.local'),
        storageMode: 'memory',
        storageConnectionString: options.storageConnectionString,
        baseUrl: 'http://127.0.0.1:0',
        hostJson: options.hostJson ?? {},
        logger: quietLogger,
        setting: (name) => settings[name],
        resolve: (value) => value,
        invoke: async (registration, input, invokeOptions) => {
            const result = await registration.callback(input, { triggerMetadata: invokeOptions?.triggerMetadata });
            if (options.returnTo && result !== undefined) {
                const binding = {
                    name: '$return',
                    type: 'serviceBus',
                    direction: 'out' as const,
                    queueName: options.returnTo,
                };
                await extension.handleOutputs?.(registration, [{ binding, value: result }]);
            }
            return { invocationId: 'test', durationMs: 0, result };
        },
        functionsModule: () => {
            throw new Error('not needed');
        },
    };
    for (const registration of options.registrations) {
        if (extension.claims(registration)) extension.register(registration);
    }
    await extension.start(context);
    const ready = extension.readyInfo?.() ?? {};
    return {
        extension,
        context,
        connectionString: String(ready.serviceBusConnectionString),
        stop: async () => {
            await extension.stop();
            rmSync(appDir, { recursive: true, force: true });
        },
    };
}

/** Polls until `check` holds, failing after `timeoutMs`: no fixed sleeps, robust on a busy machine. */
export async function waitFor(check: () => boolean, timeoutMs = 20000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

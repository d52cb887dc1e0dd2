import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import * as functions from '@azure/functions';
import * as df from 'durable-functions';

import type {
    BindingMetadata,
    FunctionMetadata,
    HostContext,
    HostLogger,
    Registration,
} from '../../../../local/contracts';
import { createDurableExtension, type DurableExtensionOptions } from '../../../../local/durable/createDurableExtension';

/** Registrations captured by the virtual `@azure/functions-core` mock each test file installs. */
export const captured: Array<{ metadata: FunctionMetadata; callback: (...args: unknown[]) => unknown }> = [];

export const coreMock = {
    setProgrammingModel(): void {},
    registerHook: () => ({ dispose(): void {} }),
    log(): void {},
    registerFunction(metadata: FunctionMetadata, callback: (...args: unknown[]) => unknown) {
        captured.push({ metadata, callback });
        return { dispose(): void {} };
    },
};

export function toRegistrations(): Registration[] {
    return captured.map(({ metadata, callback }) => {
        const trigger = Object.values(metadata.bindings).find((b) => b.direction === 'in' && /Trigger$/.test(b.type));
        return { name: metadata.name, metadata, callback, trigger: trigger as BindingMetadata };
    });
}

const quietLogger: HostLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface InProcessHost {
    baseUrl: string;
    /** The durable API's system key (a new one per start with memory storage). */
    systemKey: string;
    client: df.DurableClient;
    extension: ReturnType<typeof createDurableExtension>;
    invocations: Map<string, number>;
    stop(): Promise<void>;
}

/**
 * The durable extension on a minimal HostContext: `invoke` builds a real InvocationContext and calls the registered
 * (SDK-wrapped) handler, as the host core does; an HTTP server serves only the extension's routes.
 */
export async function startInProcessHost(
    hostJson: Record<string, unknown>,
    options: DurableExtensionOptions & { storageConnectionString?: string },
): Promise<InProcessHost> {
    const extension = createDurableExtension(options);
    const registrations = toRegistrations();
    for (const registration of registrations) if (extension.claims(registration)) extension.register(registration);
    const invocations = new Map<string, number>();
    const server: Server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        void extension.handleHttp!(req, res, url).then((handled) => {
            if (!handled) res.writeHead(404).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context: HostContext = {
        appDir: __dirname,
        dataDir: __dirname,
        storageMode: 'memory',
        storageConnectionString: options.storageConnectionString ?? '',
        baseUrl,
        hostJson,
        logger: quietLogger,
        setting: (name) => process.env[name],
        resolve: (value) => value.replace(/%([^%]+)%/g, (_, name: string) => process.env[name] ?? ''),
        functionsModule: () => functions,
        invoke: async (registration, triggerInput, invokeOptions = {}) => {
            invocations.set(registration.name, (invocations.get(registration.name) ?? 0) + 1);
            const ctx = new functions.InvocationContext({
                invocationId: invokeOptions.invocationId ?? 'test',
                functionName: registration.name,
                logHandler: () => undefined,
            });
            const result = await registration.callback(triggerInput, ctx);
            return { invocationId: ctx.invocationId, durationMs: 0, result };
        },
    };
    await extension.start(context);
    const clientBinding: BindingMetadata = { name: 'client', type: 'durableClient', direction: 'in' };
    const inputs = new Map<string, unknown>();
    const registration: Registration = {
        name: 'testClient',
        metadata: { name: 'testClient', bindings: { client: clientBinding } },
        callback: () => undefined,
        trigger: { name: 'req', type: 'httpTrigger', direction: 'in' },
    };
    await extension.provideInputs!(registration, inputs);
    const ctx = new functions.InvocationContext({
        functionName: 'testClient',
        options: {
            trigger: { type: 'httpTrigger', name: 'req' },
            extraInputs: [clientBinding],
        },
    });
    ctx.extraInputs.set(clientBinding, inputs.get('client'));
    return {
        baseUrl,
        systemKey: extension.runtime()!.systemKey,
        client: df.getClient(ctx),
        extension,
        invocations,
        stop: async () => {
            await extension.stop();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

/** Polls the client until the instance reaches a terminal status (bounded). */
export async function waitForTerminal(
    client: df.DurableClient,
    instanceId: string,
    timeoutMs = 15000,
): Promise<df.DurableOrchestrationStatus> {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const status = await client.getStatus(instanceId);
        if (['Completed', 'Failed', 'Terminated'].includes(String(status.runtimeStatus))) return status;
        if (Date.now() > until) throw new Error(`instance ${instanceId} still ${status.runtimeStatus}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > until) throw new Error('condition not reached in time');
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

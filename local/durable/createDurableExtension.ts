import type { HostContext, HostExtension, Registration } from '../contracts';
import { durableClientBinding } from './clientBinding';
import { CoalescingWriter } from './CoalescingWriter';
import { handleDurableHttp } from './durableHttpApi';
import { type DurableSettings, durableSettings } from './durableSettings';
import { type DurableStore } from './DurableStore';
import { EntityEngine } from './EntityEngine';
import { OrchestrationEngine } from './OrchestrationEngine';
import { Semaphore } from './Semaphore';
import { durableSystemKey } from './systemKey';
import { TableDurableStore } from './TableDurableStore';

const CLIENT_BINDINGS = new Set(['durableClient', 'orchestrationClient']);

interface Runtime {
    host: HostContext;
    settings: DurableSettings;
    systemKey: string;
    orchestrations: OrchestrationEngine;
    entities: EntityEngine;
}

export interface DurableExtensionOptions {
    /** Replaces the Azurite Table store (engine tests). */
    store?: (host: HostContext, settings: DurableSettings) => DurableStore;
}

/**
 * The Durable Functions extension of the embedded host: runs orchestrations through the SDK's own replay, activities
 * and entities, keeps every instance in Azurite Table storage, and serves the durable client HTTP API.
 */
export function createDurableExtension(
    options: DurableExtensionOptions = {},
): HostExtension & { runtime(): Runtime | undefined } {
    const registrations = {
        orchestrationTrigger: new Map<string, Registration>(),
        activityTrigger: new Map<string, Registration>(),
        entityTrigger: new Map<string, Registration>(),
    };
    let runtime: Runtime | undefined;

    const registry = (registration: Registration): Map<string, Registration> | undefined =>
        (registrations as Record<string, Map<string, Registration>>)[registration.trigger.type];

    const start = async (host: HostContext): Promise<void> => {
        const settings = durableSettings(host.hostJson, (value) => host.resolve(value));
        if (settings.storageProvider !== undefined)
            host.logger.warn(
                `host.json durableTask.storageProvider (${settings.storageProvider}) is not applied here: the local host keeps durable state in its own Azurite tables, whatever the provider`,
            );
        const store =
            options.store?.(host, settings) ?? new TableDurableStore(host.storageConnectionString, settings.hubName);
        await store.init();
        const writer = new CoalescingWriter((key, error) =>
            host.logger.error('durable state write failed', { key, error: String(error) }),
        );
        const now = (): Date => new Date();
        const invoke = async (
            registration: Registration | undefined,
            input: unknown,
            quiet: boolean,
            invocationId?: string,
        ): Promise<unknown> => {
            if (!registration) throw new Error('function is not registered');
            return (await host.invoke(registration, input, { quiet, invocationId })).result;
        };
        const activities = new Semaphore(settings.maxConcurrentActivityFunctions);
        const entitiesRef: { engine?: EntityEngine } = {};
        const orchestrations = new OrchestrationEngine({
            store,
            writer,
            activities,
            episodes: new Semaphore(settings.maxConcurrentOrchestratorFunctions),
            logger: host.logger,
            now,
            hasOrchestrator: (name) => registrations.orchestrationTrigger.has(name),
            invokeOrchestrator: (name, binding, id) =>
                invoke(registrations.orchestrationTrigger.get(name), binding, true, id),
            invokeActivity: async (name, input) => {
                const registration = registrations.activityTrigger.get(name);
                if (!registration) throw new Error(`activity '${name}' is not registered`);
                return invoke(registration, input, false);
            },
            sendToEntity: (request) => entitiesRef.engine?.enqueue(request) ?? Promise.resolve(),
        });
        const entities = new EntityEngine({
            store,
            writer,
            logger: host.logger,
            now,
            hasEntity: (name) => findEntity(registrations.entityTrigger, name) !== undefined,
            invokeEntity: (name, binding) => invoke(findEntity(registrations.entityTrigger, name), binding, false),
            deliverResponse: (instanceId, requestId, payload) =>
                orchestrations.deliverEntityResponse(instanceId, requestId, payload),
        });
        entitiesRef.engine = entities;
        // The client rewrites handed-out URLs to localhost:7071 unless WEBSITE_HOSTNAME names the real origin.
        process.env.WEBSITE_HOSTNAME ??= new URL(host.baseUrl).host;
        runtime = { host, settings, systemKey: durableSystemKey(host), orchestrations, entities };
        await entities.recover();
        const resumed = await orchestrations.recover();
        if (resumed > 0) host.logger.info('durable instances resumed', { count: resumed, hub: settings.hubName });
    };

    return {
        name: 'durable',
        claims: (registration) => registry(registration) !== undefined,
        servesBinding: (binding) => CLIENT_BINDINGS.has(binding.type) && binding.direction === 'in',
        register: (registration) => {
            registry(registration)?.set(registration.name, registration);
        },
        start,
        provideInputs: (registration, inputs) => {
            if (!runtime) return;
            for (const binding of Object.values(registration.metadata.bindings)) {
                if (CLIENT_BINDINGS.has(binding.type) && binding.direction === 'in') {
                    const { host, settings, systemKey } = runtime;
                    inputs.set(binding.name, durableClientBinding(host.baseUrl, settings.hubName, systemKey));
                }
            }
        },
        handleHttp: async (req, res, url) => {
            if (!runtime) return false;
            const { orchestrations, entities, settings, host, systemKey } = runtime;
            return handleDurableHttp(
                { orchestrations, entities, hubName: settings.hubName, baseUrl: host.baseUrl, systemKey },
                req,
                res,
                url,
            );
        },
        describe: (registration) => `${registration.name}: ${registration.trigger.type}`,
        readyInfo: () =>
            runtime ? { durableTaskHub: runtime.settings.hubName, durableSystemKey: runtime.systemKey } : {},
        stop: async () => {
            if (!runtime) return;
            runtime.entities.stop();
            await runtime.orchestrations.stop(5000);
            runtime = undefined;
        },
        runtime: () => runtime,
    };
}

/** Entity ids carry the name lower-cased (`@counter@key`); registrations keep the app's spelling. */
function findEntity(entities: Map<string, Registration>, name: string): Registration | undefined {
    const wanted = name.toLowerCase();
    for (const [registered, registration] of entities) if (registered.toLowerCase() === wanted) return registration;
    return undefined;
}

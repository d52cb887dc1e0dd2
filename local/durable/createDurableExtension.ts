import type { HostContext, HostExtension, Registration } from '../contracts';

const DURABLE_TRIGGERS = new Set(['orchestrationTrigger', 'activityTrigger', 'entityTrigger']);

/** The Durable Functions extension of the embedded host (being built; claims durable triggers only). */
export function createDurableExtension(): HostExtension {
    const registrations: Registration[] = [];
    let host: HostContext | undefined;
    const started = (): boolean => host !== undefined;
    return {
        name: 'durable',
        claims: (registration) => DURABLE_TRIGGERS.has(registration.trigger.type),
        register: (registration) => {
            registrations.push(registration);
        },
        start: (context) => {
            host = context;
            return Promise.resolve();
        },
        describe: (registration) => `${registration.name}: ${registration.trigger.type}${started() ? '' : ''}`,
        stop: () => {
            host = undefined;
            return Promise.resolve();
        },
    };
}

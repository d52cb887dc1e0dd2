import type { HostContext, HostExtension, Registration } from '../contracts';

/** Service Bus stand-in: claims `serviceBusTrigger` registrations and serves `serviceBus` output bindings. */
export function createServiceBusExtension(): HostExtension {
    const registrations: Registration[] = [];
    return {
        name: 'serviceBus',
        claims: (registration) => registration.trigger.type === 'serviceBusTrigger',
        register: (registration) => {
            registrations.push(registration);
        },
        start: async (_context: HostContext) => {},
        stop: async () => {},
    };
}

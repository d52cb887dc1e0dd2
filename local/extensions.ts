import type { HostExtension } from './contracts';
import { createDurableExtension } from './durable/createDurableExtension';
import { createHttpTriggerExtension } from './http/createHttpTriggerExtension';
import { createServiceBusExtension } from './serviceBus/createServiceBusExtension';
import { createTimerExtension } from './timers/createTimerExtension';

/**
 * Every trigger/binding extension of the embedded host. The order matters three ways: extensions start in it (the
 * durable engine is up before any trigger can call the durable client), see HTTP requests in it (fixed webhook
 * routes before HTTP triggers, which own the whole route prefix), and stop in reverse (work sources first, the
 * durable engine last, so a draining trigger can still start or signal orchestrations).
 */
export function createExtensions(): HostExtension[] {
    return [
        createDurableExtension(),
        createServiceBusExtension(),
        createTimerExtension(),
        createHttpTriggerExtension(),
    ];
}

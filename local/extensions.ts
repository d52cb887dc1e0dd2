import type { HostExtension } from './contracts';
import { createDurableExtension } from './durable/createDurableExtension';
import { createHttpTriggerExtension } from './http/createHttpTriggerExtension';
import { createServiceBusExtension } from './serviceBus/createServiceBusExtension';
import { createTimerExtension } from './timers/createTimerExtension';

/**
 * Every trigger/binding extension of the embedded host, in the order they see HTTP requests: the durable webhooks
 * and other fixed routes first, HTTP triggers last (they own the whole route prefix).
 */
export function createExtensions(): HostExtension[] {
    return [
        createServiceBusExtension(),
        createDurableExtension(),
        createTimerExtension(),
        createHttpTriggerExtension(),
    ];
}

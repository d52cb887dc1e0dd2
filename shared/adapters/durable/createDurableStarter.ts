import type { DurableClient } from 'durable-functions';

import type { OrchestrationStarter } from '../../ports/OrchestrationStarter';

/**
 * Starts orchestrations through the Durable Functions client. `startIfAbsent` checks first because `startNew` with an
 * existing id would replace a completed, failed or terminated instance and run the pipeline again.
 */
export function createDurableStarter(client: DurableClient): OrchestrationStarter {
    return {
        async startIfAbsent(name, instanceId, input) {
            try {
                await client.getStatus(instanceId);
                return 'exists';
            } catch (err) {
                if (!(err instanceof Error) || !/HTTP 404/u.test(err.message)) throw err;
            }
            await client.startNew(name, { instanceId, input });
            return 'started';
        },
        async start(name, instanceId, input) {
            await client.startNew(name, { instanceId, input });
        },
    };
}
